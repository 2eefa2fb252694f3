import type { TriageState } from "@/db/schema/enums";
import { TRIAGE_STATE_LABELS } from "@/lib/claims/labels";

// Dark text on light tints: every pair passes WCAG AA (4.5:1) for small text.
const STYLES: Record<TriageState, string> = {
  never_tried: "bg-amber-100 text-amber-900 border-amber-300",
  in_progress: "bg-blue-100 text-blue-900 border-blue-300",
  submitted: "bg-indigo-100 text-indigo-900 border-indigo-300",
  confirmed: "bg-green-100 text-green-900 border-green-300",
  failed: "bg-red-100 text-red-900 border-red-300",
  excluded: "bg-gray-200 text-gray-900 border-gray-400",
  duplicate: "bg-purple-100 text-purple-900 border-purple-300",
  resolved_elsewhere: "bg-teal-100 text-teal-900 border-teal-300",
};

export function TriageBadge({ state }: { state: TriageState }) {
  return (
    <span
      className={`inline-block rounded border px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${STYLES[state]}`}
    >
      {TRIAGE_STATE_LABELS[state]}
    </span>
  );
}

export function BlackHoleBadge() {
  return (
    <span className="inline-block rounded bg-gray-900 px-2 py-0.5 text-xs font-semibold whitespace-nowrap text-white">
      Black hole
    </span>
  );
}
