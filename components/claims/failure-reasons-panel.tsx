import { FailureReasonList, type ReasonItem } from "./failure-reason-list";

// Sentry-style grouping of primary-path failures: one line per normalised message with how many
// claims it holds under the other filters. Picking one filters the list to it.
export function FailureReasonsPanel({
  items,
  anySelected,
  allHref,
}: {
  items: ReasonItem[];
  anySelected: boolean;
  allHref: string;
}) {
  return (
    <section aria-labelledby="reasons-heading" className="rounded border border-base-light bg-white">
      <h2 id="reasons-heading" className="border-b border-base-light px-3 py-2 text-lg font-bold">
        Failure reasons
      </h2>
      <p className="px-3 pt-2 text-sm text-muted">
        Primary-path errors grouped by message, counted under the other filters.
        {items.some((i) => !i.exact) && " Counts marked ≈ are estimates (over 10,000 claims match)."}
      </p>
      {items.length === 0 ? (
        <p className="px-3 py-3 text-sm">No failure reasons under these filters.</p>
      ) : (
        <FailureReasonList items={items} anySelected={anySelected} allHref={allHref} />
      )}
    </section>
  );
}

// Placeholder lines while the counts load; they never reorder, so their index is their identity.
const SKELETON_LINES = Array.from({ length: 8 }, (_, i) => `line-${i}`);

export function FailureReasonsSkeleton() {
  return (
    <div role="status" className="rounded border border-base-light bg-white p-3">
      <span className="sr-only">Loading failure reasons…</span>
      {SKELETON_LINES.map((line) => (
        <div key={line} className="my-3 h-4 animate-pulse rounded bg-gray-200" />
      ))}
    </div>
  );
}
