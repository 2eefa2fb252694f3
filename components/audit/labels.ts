import type { AuditAction } from "@/db/schema/audit";
import { countOf } from "@/lib/plural";

// The audit log's action names in the team's words: one label for every action recorded (a missing
// or misspelt one is a compile error). A name outside the union, from an older release, shows as recorded.
export const AUDIT_ACTION_LABEL: Record<AuditAction, string> = {
  "claim.resubmit": "Resubmitted a claim",
  "claim.resubmit_refused": "Refused: resubmit a claim",
  "claim.exclude": "Excluded claims",
  "claim.unexclude": "Brought back excluded claims",
  "claim.conflict_settle": "Settled a conflict with the system of record",
  "claim.view": "Opened a claim's PII",
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
  // One name for every way a stamped PDF leaves: the row's details say which (describeAction).
  "document.download": "Opened or downloaded PDFs",
  "user.role_change": "Changed a user's role",
  "user.disable": "Disabled a user",
  "user.enable": "Re-enabled a user",
  "action.refused": "Refused: not allowed for the role",
  "audit.export": "Exported the audit log",
  "group.update": "Changed a failure group",
  "group.exclude": "Excluded a failure group's claims",
  "group.reopen": "Reopened a failure group (new failures)",
  "view.save": "Saved a claims view",
  "view.delete": "Deleted a claims view",
};

// Actions that were turned down: nothing was changed.
export function isRefusal(action: string) {
  return action === "claim.resubmit_refused" || action === "action.refused";
}

// A row's own words: a PDF preview, a download and a zip are one action name with different details.
export function describeAction(action: string, details: Record<string, unknown> | null): string {
  if (action === "document.download") {
    if (details?.zip === true) {
      const n = Array.isArray(details.documentIds) ? details.documentIds.length : 0;
      return `Downloaded a zip of ${countOf(n, "PDF")}`;
    }
    return details?.disposition === "inline" ? "Previewed a PDF" : "Downloaded a PDF";
  }
  return actionLabel(action);
}

export function actionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABEL, action) ? AUDIT_ACTION_LABEL[action as AuditAction] : action;
}
