import type { BatchPhase } from "@/lib/batches/batch-phase";
import { BATCH_PHASE_CLASS, BATCH_PHASE_LABEL } from "./labels";

export function BatchStateBadge({ phase }: { phase: BatchPhase }) {
  return (
    <span className={`inline-block rounded border px-2 py-0.5 text-sm font-semibold ${BATCH_PHASE_CLASS[phase]}`}>
      {BATCH_PHASE_LABEL[phase]}
    </span>
  );
}
