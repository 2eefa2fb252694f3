import type { BatchRecord } from "@/db/queries/batches";
import { unsettledCount } from "@/lib/batches/batch-phase";
import type { BatchProgress } from "@/lib/batches/progress";
import { plural } from "@/lib/plural";
import { formatDateTime, number, SOURCE_LABEL } from "./labels";

function finishedText(progress: BatchProgress) {
  if (progress.settledAt) return formatDateTime(progress.settledAt);
  if (progress.phase === "draft") return "—";
  const waiting = unsettledCount(progress.counts);
  return `not yet: ${number.format(waiting)} ${plural(waiting, "item")} without an end state`;
}

// What the batch is and why it exists: the facts a reviewer checks before starting or cancelling.
// "All claims sent" is the dispatcher's end; "Finished" comes only when every item has its outcome.
export function BatchSummary({
  batch,
  filterText,
  progress,
}: {
  batch: BatchRecord;
  filterText: string | null;
  progress: BatchProgress;
}) {
  const frozenAt = typeof batch.filter?.frozenAt === "string" ? batch.filter.frozenAt : null;
  const facts: [string, React.ReactNode][] = [
    ["Reason", batch.reason],
    ["Source", SOURCE_LABEL[batch.source]],
    ...(filterText
      ? ([["Filter", `${filterText}${frozenAt ? ` (frozen at ${formatDateTime(frozenAt)})` : ""}`]] as [
          string,
          string,
        ][])
      : []),
    ["Rate limit", `${number.format(batch.ratePerMinute)} claims per minute`],
    ["Items", number.format(batch.itemCount)],
    ["Resubmit already-submitted claims", batch.force === 1 ? "Yes (forced)" : "No"],
    ["Created", `${formatDateTime(batch.createdAt)} by ${batch.createdByName ?? "unknown"}`],
    ["Started", formatDateTime(batch.startedAt)],
    batch.state === "cancelled"
      ? ["Cancelled", formatDateTime(batch.finishedAt)]
      : ["All claims sent", batch.state === "completed" ? formatDateTime(batch.finishedAt) : "not yet"],
    ["Finished (every item at its end state)", finishedText(progress)],
  ];
  return (
    <section aria-labelledby="summary-heading" className="rounded border border-base-light bg-white p-4">
      <h2 id="summary-heading" className="mb-2 text-lg font-bold">
        About this batch
      </h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-2 lg:grid-cols-3">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt className="text-sm text-muted">{term}</dt>
            <dd className="break-words">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
