import type { ItemCounts } from "@/db/queries/batches";
import type { BatchItemState } from "@/db/schema/enums";
import { ITEM_STATE_COLOR, ITEM_STATE_LABEL, number } from "./labels";

// A stacked bar of a batch's items by state. The colours are decoration: the same figures are in
// the progressbar's text for screen readers and, on the batch page, in the counts beside it.

const ORDER: BatchItemState[] = ["confirmed", "submitted", "failed", "skipped", "cancelled", "in_progress", "pending"];

export function ItemCountsBar({ counts, label }: { counts: ItemCounts; label: string }) {
  const done = counts.total - counts.pending - counts.in_progress;
  const percent = counts.total ? Math.round((done / counts.total) * 100) : 0;
  const text = `${number.format(done)} of ${number.format(counts.total)} items done (${percent}%)`;
  return (
    <div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
        className="flex h-3 w-full overflow-hidden rounded bg-base-light"
      >
        {counts.total > 0 &&
          ORDER.filter((s) => counts[s] > 0).map((s) => (
            <span
              key={s}
              title={`${ITEM_STATE_LABEL[s]}: ${number.format(counts[s])}`}
              style={{ width: `${(counts[s] / counts.total) * 100}%`, background: ITEM_STATE_COLOR[s] }}
            />
          ))}
      </div>
      <p className="mt-1 text-sm text-muted">{text}</p>
    </div>
  );
}
