import type { ItemCounts } from "@/db/queries/batches";
import type { BatchState } from "@/db/schema/enums";

// Where a batch stands, in two senses the team must not confuse. The batch's state is the
// dispatcher's: `completed` there means every claim has been handed to the backup flow. Whether the
// batch is finished depends on its items: a claim uploaded to Benefits Intake ("submitted") still
// waits for its end state (vbms, error or expired), which the status poll brings hours later.
// The pages show the phase, never the raw state, so "Completed" is said only of a finished batch.

export type BatchPhase = Exclude<BatchState, "completed"> | "sent" | "completed";

// Items with no end state yet.
export function unsettledCount(counts: ItemCounts) {
  return counts.pending + counts.in_progress + counts.submitted;
}

export function batchPhase(state: BatchState, counts: ItemCounts): BatchPhase {
  if (state === "completed") return unsettledCount(counts) > 0 ? "sent" : "completed";
  return state;
}

// Nothing about the batch will change any more: its figures are final.
export function isFinished(phase: BatchPhase, counts: ItemCounts) {
  return phase === "completed" || (phase === "cancelled" && unsettledCount(counts) === 0);
}
