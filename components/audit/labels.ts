import type { AuditAction } from "@/db/schema/audit";

// The audit log's action names in the team's words: one label for every action recorded (a missing
// or misspelt one is a compile error). A name outside the union, from an older release, shows as recorded.
export const AUDIT_ACTION_LABEL: Record<AuditAction, string> = {
  "claim.resubmit": "Resubmitted a claim",
  "claim.exclude": "Excluded claims",
  "claim.unexclude": "Brought back excluded claims",
  "claims.export": "Exported claims",
  "batch.create": "Created a batch",
  "batch.create_and_start": "Created and started a batch",
  "batch.start": "Started a batch",
  "batch.pause": "Paused a batch",
  "batch.resume": "Resumed a batch",
  "batch.cancel": "Cancelled a batch",
  "batch.rate": "Changed a batch's rate",
  "batch.import": "Imported a retry list",
  "batch.export": "Exported a batch",
  "document.download": "Downloaded a PDF",
  "user.role_change": "Changed a user's role",
  "user.disable": "Disabled a user",
  "user.enable": "Re-enabled a user",
};

export function actionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABEL, action) ? AUDIT_ACTION_LABEL[action as AuditAction] : action;
}
