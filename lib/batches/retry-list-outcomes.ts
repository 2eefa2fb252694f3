// What can become of a row of a retry list, in the words the import report shows. Kept apart from
// the review (which reads the database) so the report's client component can import it: the review
// pulled node:crypto and the database client into the browser bundle, and their browser stand-ins
// probe for eval, which the Content-Security-Policy refuses.
export const ROW_OUTCOMES = {
  accepted: "Accepted",
  mapped_674: "Accepted: a 674, sent with its 686c",
  not_a_number: "Not a claim id (not a number)",
  duplicate_in_file: "Duplicate in the file",
  unknown_id: "Unknown claim id",
  duplicate_claim: "Duplicate claim of the same veteran",
  already_confirmed: "Already confirmed in VBMS",
  already_submitted: "Already submitted, waiting for VBMS",
  in_progress: "A backup is already queued or running",
  excluded: "Excluded by an admin",
  waiting: "Waiting for its evidence or its 686c from the system of record",
  resolved_elsewhere: "Resolved elsewhere (the system of record shows it succeeded or was remediated)",
} as const;

export type RowOutcome = keyof typeof ROW_OUTCOMES;
