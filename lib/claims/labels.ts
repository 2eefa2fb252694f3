import type { FormType, TriageState } from "@/db/schema/enums";

// The triage team's words for the read model's values, shared by filters, badges and the CSV.

export const TRIAGE_STATE_LABELS: Record<TriageState, string> = {
  never_tried: "Never tried",
  in_progress: "In progress",
  submitted: "Submitted",
  confirmed: "Confirmed in VBMS",
  failed: "Failed — needs a person",
  excluded: "Excluded",
  duplicate: "Duplicate",
  resolved_elsewhere: "Resolved elsewhere",
};

export const FORM_TYPE_LABELS: Record<FormType, string> = {
  "21-526EZ": "21-526EZ (disability compensation)",
  "21-686C": "21-686c (dependents)",
  "21-674": "21-674 (school child)",
};

export const ATTEMPT_STATUS_LABELS: Record<string, string> = {
  pending: "Pending",
  submitted: "Submitted",
  success: "Success",
  failure: "Failure",
  vbms: "In VBMS",
  error: "Error",
  expired: "Expired",
};

export function attemptStatusLabel(status: string | null | undefined) {
  if (!status) return "—";
  return ATTEMPT_STATUS_LABELS[status] ?? status;
}
