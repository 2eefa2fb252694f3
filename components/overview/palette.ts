import type { AttemptStatus, TriageState } from "@/db/schema/enums";

// Chart colours: dark enough to read against white (≥ 3:1) and distinct from their neighbours in a
// stack; every chart also has its figures as text, so colour is never the only way in.

export const ATTEMPT_STATUS_COLOR: Record<AttemptStatus, string> = {
  pending: "#71767a",
  submitted: "#005ea2",
  success: "#00687d",
  vbms: "#008817",
  failure: "#b50909",
  error: "#c05600",
  expired: "#54278f",
};

export const ATTEMPT_STATUS_LABEL: Record<AttemptStatus, string> = {
  pending: "Pending",
  submitted: "Submitted",
  success: "Success (not in VBMS yet)",
  vbms: "In VBMS",
  failure: "Failed",
  error: "Error after upload",
  expired: "Expired",
};

export const TRIAGE_COLOR: Record<TriageState, string> = {
  never_tried: "#c05600",
  in_progress: "#00687d",
  submitted: "#005ea2",
  confirmed: "#008817",
  failed: "#b50909",
  excluded: "#54278f",
  duplicate: "#71767a",
  resolved_elsewhere: "#2e8540",
};

export const TRIAGE_LABEL: Record<TriageState, string> = {
  never_tried: "Never tried",
  in_progress: "In progress",
  submitted: "Submitted",
  confirmed: "Confirmed in VBMS",
  failed: "Failed, needs a person",
  excluded: "Excluded",
  duplicate: "Duplicate",
  resolved_elsewhere: "Resolved elsewhere",
};

export const INK = "#1b1b1b";
export const GRID = "#dfe1e2";

export const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
export const whole = new Intl.NumberFormat("en-US");

export function shortDay(day: string) {
  const [, m, d] = day.split("-");
  return `${Number(m)}/${Number(d)}`;
}
