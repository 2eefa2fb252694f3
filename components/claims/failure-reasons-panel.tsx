import type { SessionUser } from "@/lib/auth/roles";
import { loadFailureReasons } from "@/lib/claims/load-claims";
import { type ClaimsSearch, claimsHref } from "@/lib/claims/search-params";
import { getDb } from "@/lib/db";
import { FailureReasonList } from "./failure-reason-list";

// Sentry-style grouping of primary-path failures: one line per normalised message with how many
// claims it holds under the other filters. Picking one filters the list to it.
export async function FailureReasonsPanel({ user, search }: { user: SessionUser; search: ClaimsSearch }) {
  const counts = await loadFailureReasons(getDb(), user, search.filter);
  const table = { ...search.table, pageIndex: 0, seek: undefined };
  const items = counts.map((c) => ({
    reason: c.reason,
    count: c.count,
    exact: c.exact,
    current: c.reason === search.filter.failureReason,
    href: claimsHref({ filter: { ...search.filter, failureReason: c.reason }, table }),
  }));
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
        <FailureReasonList
          items={items}
          anySelected={Boolean(search.filter.failureReason)}
          allHref={claimsHref({ filter: { ...search.filter, failureReason: undefined }, table })}
        />
      )}
    </section>
  );
}

export function FailureReasonsSkeleton() {
  return (
    <div role="status" className="rounded border border-base-light bg-white p-3">
      <span className="sr-only">Loading failure reasons…</span>
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="my-3 h-4 animate-pulse rounded bg-gray-200" />
      ))}
    </div>
  );
}
