import type { BatchState } from "@/db/schema/enums";
import { BATCH_STATE_CLASS, BATCH_STATE_LABEL } from "./labels";

export function BatchStateBadge({ state }: { state: BatchState }) {
  return (
    <span className={`inline-block rounded border px-2 py-0.5 text-sm font-semibold ${BATCH_STATE_CLASS[state]}`}>
      {BATCH_STATE_LABEL[state]}
    </span>
  );
}
