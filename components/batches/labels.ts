import type { BatchItemState } from "@/db/schema/enums";
import type { BatchPhase } from "@/lib/batches/batch-phase";

// Words and colours for batch and item states, shared by the list, the batch page and its poller.
// Colours keep at least 3:1 against white (WCAG 1.4.11) and always come with a text label.

// By phase (lib/batches/batch-phase.ts): "Completed" only when every item has its end state.
export const BATCH_PHASE_LABEL: Record<BatchPhase, string> = {
  draft: "Draft",
  queued: "Queued",
  running: "Running",
  paused: "Paused",
  sent: "All sent, awaiting results",
  completed: "Completed",
  cancelled: "Cancelled",
};

export const BATCH_PHASE_CLASS: Record<BatchPhase, string> = {
  draft: "bg-gray-100 text-gray-800 border-gray-400",
  queued: "bg-blue-50 text-blue-900 border-blue-700",
  running: "bg-green-50 text-green-900 border-green-700",
  paused: "bg-amber-50 text-amber-900 border-amber-700",
  sent: "bg-blue-50 text-blue-900 border-blue-700",
  completed: "bg-gray-100 text-gray-900 border-gray-600",
  cancelled: "bg-red-50 text-red-900 border-red-700",
};

export const ITEM_STATE_LABEL: Record<BatchItemState, string> = {
  pending: "Pending",
  in_progress: "In progress",
  submitted: "Submitted",
  confirmed: "Confirmed",
  failed: "Failed",
  skipped: "Skipped",
  cancelled: "Cancelled",
};

export const ITEM_STATE_COLOR: Record<BatchItemState, string> = {
  pending: "#a9aeb1",
  in_progress: "#2378c3",
  submitted: "#005ea2",
  confirmed: "#008817",
  failed: "#b50909",
  skipped: "#c05600",
  cancelled: "#565c65",
};

export const SOURCE_LABEL = { selection: "Selection", filter: "Filter", import: "Imported list" } as const;

export const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
export const number = new Intl.NumberFormat("en-US");

export function formatDateTime(value: Date | string | null | undefined) {
  if (!value) return "—";
  return `${dateTime.format(typeof value === "string" ? new Date(value) : value)} UTC`;
}

export function formatDuration(seconds: number | null) {
  if (seconds === null) return "—";
  if (seconds < 60) return seconds <= 0 ? "done" : "under a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h${rest ? ` ${rest} min` : ""}`;
}
