import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { idArray } from "@/db/bind-array";
import type { DbOrTx } from "@/db/client";
import type { FormType, TriageState } from "@/db/schema/enums";
import { backupSkipReason, SKIP_REASON_TEXT } from "../backup/rules";
import type { RetryListRow } from "./parse-retry-list";
import { ROW_OUTCOMES, type RowOutcome } from "./retry-list-outcomes";

// Judges every row of a parsed retry list against the claims, in file order, and says what will
// happen to it and why. Only `accepted` and `mapped_674` rows go into the batch. The same review
// runs again when the admin confirms, so the batch holds exactly what the admin was shown, or the
// confirmation is refused because the claims changed in between.

export const INCLUDED_OUTCOMES: RowOutcome[] = ["accepted", "mapped_674"];

export type ReviewedRow = RetryListRow & { outcome: RowOutcome; claimId: number | null; message: string };
export type DedupePolicy = "newest" | "keep_all";

export type RetryListReview = {
  rows: ReviewedRow[];
  counts: Record<RowOutcome, number>;
  accepted: { claimId: number; note: string | null }[]; // main claim ids, file order
  acceptedHash: string;
};

type ClaimFacts = {
  id: number;
  formType: FormType;
  mainClaimId: number | null;
  triageState: TriageState;
  waitingFor: string | null; // what an ingested claim still waits for (lib/backup/rules.ts)
  inFlight: boolean; // its backup holds the in-flight slot
  fileNumber: string;
  submittedAt: Date;
  duplicateOf: number | null;
};

const MAX_ID = 9_007_199_254_740_991;

// All the ids in one array parameter (db/bind-array.ts), never a parameter per id. It was sent in
// chunks of 10,000 when each chunk was a hand-built literal; one statement for 100,000 ids takes
// about two thirds of the time of ten chunks (an index scan either way), so it is one now.
async function loadClaims(db: DbOrTx, ids: number[]): Promise<Map<number, ClaimFacts>> {
  const found = new Map<number, ClaimFacts>();
  if (ids.length === 0) return found;
  const rows = (await db.execute(sql`
    select c.id, c.form_type, c.main_claim_id, c.triage_state, c.waiting_for, bs.in_flight_since is not null as in_flight,
      c.file_number, c.submitted_at, c.duplicate_of
    from saved_claims c left join backup_submissions bs on bs.claim_id = c.id
    where c.id = any(${idArray(ids)})`)) as unknown as Record<string, unknown>[];
  for (const r of rows) {
    const id = Number(r.id);
    found.set(id, {
      id,
      formType: r.form_type as FormType,
      mainClaimId: r.main_claim_id === null ? null : Number(r.main_claim_id),
      triageState: r.triage_state as TriageState,
      waitingFor: (r.waiting_for as string | null) ?? null,
      inFlight: r.in_flight === true,
      fileNumber: String(r.file_number),
      submittedAt: new Date(r.submitted_at as string),
      duplicateOf: r.duplicate_of === null ? null : Number(r.duplicate_of),
    });
  }
  return found;
}

function parseClaimId(text: string): number | null {
  if (!/^\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_ID ? n : null;
}

// What the batch's start will refuse (lib/backup/rules.ts; an import's batch never forces), in the
// words of the report.
function stateOutcome(main: ClaimFacts): { outcome: RowOutcome; message: string } | null {
  const reason = backupSkipReason(main, false);
  switch (reason) {
    case null:
      return null;
    case "already_submitted":
      return main.triageState === "confirmed"
        ? { outcome: "already_confirmed", message: `Claim #${main.id} is already in VBMS.` }
        : { outcome: "already_submitted", message: `Claim #${main.id} was uploaded and is waiting for VBMS.` };
    case "already_in_flight":
      return { outcome: "in_progress", message: `A backup for claim #${main.id} is already queued or running.` };
    case "excluded":
      return { outcome: "excluded", message: `Claim #${main.id} is excluded; an admin must bring it back first.` };
    case "duplicate":
      return {
        outcome: "duplicate_claim",
        message: `Claim #${main.id} is marked a duplicate${main.duplicateOf ? ` of claim #${main.duplicateOf}` : ""}.`,
      };
    case "waiting_for_evidence":
    case "waiting_for_parent_claim":
      return { outcome: "waiting", message: `Claim #${main.id} is ${SKIP_REASON_TEXT[reason]}.` };
    case "resolved_elsewhere":
      return { outcome: "resolved_elsewhere", message: `Claim #${main.id} is ${SKIP_REASON_TEXT[reason]}.` };
    case "unknown_claim": // the claim was found
      return { outcome: "unknown_id", message: `No claim #${main.id} exists.` };
  }
}

export async function reviewRetryList(
  db: DbOrTx,
  input: RetryListRow[],
  options: { dedupe?: DedupePolicy } = {},
): Promise<RetryListReview> {
  const dedupe = options.dedupe ?? "newest";
  const ids = [...new Set(input.map((r) => parseClaimId(r.claimIdText)).filter((n): n is number => n !== null))];
  const claims = await loadClaims(db, ids);
  // 674s are carried by their 686c: load the mains the file does not already name.
  const missingMains = [
    ...new Set([...claims.values()].map((c) => c.mainClaimId).filter((m): m is number => m !== null && !claims.has(m))),
  ];
  for (const [id, facts] of await loadClaims(db, missingMains)) claims.set(id, facts);

  const rows: ReviewedRow[] = [];
  const seenText = new Map<number, number>(); // claim id -> line first naming it
  const seenMain = new Map<number, number>(); // main claim id -> line first carrying it
  const candidates: ReviewedRow[] = [];

  for (const row of input) {
    const id = parseClaimId(row.claimIdText);
    const push = (outcome: RowOutcome, message: string, claimId: number | null = id) => {
      const reviewed: ReviewedRow = { ...row, outcome, claimId, message };
      rows.push(reviewed);
      return reviewed;
    };
    if (id === null) {
      push(
        "not_a_number",
        row.claimIdText ? `“${row.claimIdText.slice(0, 40)}” is not a claim id.` : "The claim id is empty.",
      );
      continue;
    }
    const firstLine = seenText.get(id);
    if (firstLine !== undefined) {
      push("duplicate_in_file", `Claim #${id} is already on row ${firstLine}.`);
      continue;
    }
    seenText.set(id, row.line);
    const claim = claims.get(id);
    if (!claim) {
      push("unknown_id", `No claim #${id} exists.`);
      continue;
    }
    const main = claim.mainClaimId && claim.mainClaimId !== claim.id ? (claims.get(claim.mainClaimId) ?? claim) : claim;
    const mapped = main.id !== claim.id;
    const mainLine = seenMain.get(main.id);
    if (mainLine !== undefined) {
      push(
        "duplicate_in_file",
        mapped
          ? `Claim #${id} is a 674 carried by 686c #${main.id}, already on row ${mainLine}.`
          : `Claim #${id} travels with a claim already on row ${mainLine}.`,
        main.id,
      );
      continue;
    }
    seenMain.set(main.id, row.line);
    const refused = stateOutcome(main);
    if (refused) {
      push(refused.outcome, refused.message, main.id);
      continue;
    }
    candidates.push(
      mapped
        ? push("mapped_674", `Claim #${id} is a 674; it is sent with its 686c, claim #${main.id}.`, main.id)
        : push("accepted", `Claim #${id} will be re-submitted.`, main.id),
    );
  }

  if (dedupe === "newest") markVeteranDuplicates(candidates, claims);

  const counts = Object.fromEntries(Object.keys(ROW_OUTCOMES).map((k) => [k, 0])) as Record<RowOutcome, number>;
  for (const r of rows) counts[r.outcome]++;
  const accepted = rows
    .filter((r) => INCLUDED_OUTCOMES.includes(r.outcome))
    .map((r) => ({ claimId: r.claimId!, note: r.note }));
  return { rows, counts, accepted, acceptedHash: hashAccepted(accepted) };
}

// The master list keeps one claim per veteran: the newest submitted (by default); the others are
// reported, not silently dropped.
function markVeteranDuplicates(candidates: ReviewedRow[], claims: Map<number, ClaimFacts>) {
  const byVeteran = new Map<string, ReviewedRow[]>();
  for (const row of candidates) {
    const fileNumber = claims.get(row.claimId!)!.fileNumber;
    byVeteran.set(fileNumber, [...(byVeteran.get(fileNumber) ?? []), row]);
  }
  for (const group of byVeteran.values()) {
    if (group.length < 2) continue;
    const newest = group.reduce((best, row) => {
      const a = claims.get(best.claimId!)!;
      const b = claims.get(row.claimId!)!;
      return b.submittedAt > a.submittedAt || (b.submittedAt.getTime() === a.submittedAt.getTime() && b.id > a.id)
        ? row
        : best;
    });
    for (const row of group) {
      if (row === newest) continue;
      row.outcome = "duplicate_claim";
      const kept = `claim #${newest.claimId} on row ${newest.line}`;
      row.message = `Same veteran as ${kept}, which was submitted later and is kept.`;
    }
  }
}

export function hashAccepted(accepted: { claimId: number; note: string | null }[]) {
  const hash = createHash("sha256");
  for (const a of accepted) hash.update(`${a.claimId}\t${a.note ?? ""}\n`);
  return hash.digest("hex");
}
