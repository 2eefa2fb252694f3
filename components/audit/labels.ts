// The audit log's action names in the team's words; an action not listed shows as recorded.
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  resubmit: "Resubmitted claims",
  "batch.create": "Created a batch",
  "batch.create_and_start": "Created and started a batch",
  "batch.start": "Started a batch",
  "batch.pause": "Paused a batch",
  "batch.resume": "Resumed a batch",
  "batch.cancel": "Cancelled a batch",
  "batch.rate": "Changed a batch's rate",
  "batch.import": "Imported a retry list",
  "batch.export": "Exported a batch",
  "claim.exclude": "Excluded claims",
  "claim.include": "Brought back excluded claims",
  "claims.export": "Exported claims",
  "document.download": "Downloaded a PDF",
};

export function actionLabel(action: string) {
  return AUDIT_ACTION_LABEL[action] ?? action;
}
