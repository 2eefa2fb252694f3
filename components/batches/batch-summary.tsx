import type { BatchRecord } from "@/db/queries/batches";
import { formatDateTime, number, SOURCE_LABEL } from "./labels";

// What the batch is and why it exists: the facts a reviewer checks before starting or cancelling.
export function BatchSummary({ batch, filterText }: { batch: BatchRecord; filterText: string | null }) {
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
    ["Finished", formatDateTime(batch.finishedAt)],
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
