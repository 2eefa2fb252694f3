import { FailureReasonsPanel } from "@/components/claims/failure-reasons-panel";
import type { SessionUser } from "@/lib/auth/roles";
import { loadFailureReasons } from "@/lib/claims/load-claims";
import { type ClaimsSearch, claimsHref } from "@/lib/claims/search-params";
import { getDb } from "@/lib/db";

// Loads the failure-reason counts under the other filters, inside the page's Suspense; each reason
// links to the list filtered to it, from its first page.
export async function FailureReasonsSection({ user, search }: { user: SessionUser; search: ClaimsSearch }) {
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
    <FailureReasonsPanel
      items={items}
      anySelected={Boolean(search.filter.failureReason)}
      allHref={claimsHref({ filter: { ...search.filter, failureReason: undefined }, table })}
    />
  );
}
