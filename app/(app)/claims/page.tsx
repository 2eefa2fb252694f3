import { Suspense } from "react";
import { ClaimsFilters } from "@/components/claims/claims-filters";
import { ClaimsShortcuts } from "@/components/claims/claims-shortcuts";
import { FailureReasonsSkeleton } from "@/components/claims/failure-reasons-panel";
import { UrlNotice } from "@/components/claims/url-notice";
import { TableSkeleton } from "@/components/data-table/table-skeleton";
import { TableUrlProvider } from "@/components/data-table/table-url";
import { canSeePii } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { parseClaimsSearch, writeClaimsFilter } from "@/lib/claims/search-params";
import { claimsUrlProblems, swappedDatesParams } from "@/lib/claims/url-problems";
import { ClaimsResultsSection } from "./claims-results-section";
import { FailureReasonsSection } from "./failure-reasons-section";
import { SavedViewsSection } from "./saved-views-section";

export const metadata = { title: "Claims" };

export default async function ClaimsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser("viewer");
  const params = await searchParams;
  const search = parseClaimsSearch(params);
  const filterKey = writeClaimsFilter(new URLSearchParams(), search.filter).toString();
  const problems = claimsUrlProblems(params, search);
  const datesReversed =
    search.filter.submittedFrom && search.filter.submittedTo && search.filter.submittedFrom > search.filter.submittedTo;
  return (
    <TableUrlProvider>
      <h1 className="mb-1 text-3xl font-bold">Claims</h1>
      <p className="mb-4 text-muted">
        Failed and black-hole claims. Filter, pick a failure reason, select claims and resubmit them through the backup
        flow.
      </p>
      <ClaimsShortcuts />
      <UrlNotice
        problems={problems}
        swapHref={datesReversed ? `/claims?${swappedDatesParams(params).toString()}` : undefined}
      />
      {/* The reasons rail sits beside the table only from 1280 px: at 1024 the table needs the whole width. */}
      <div className="grid gap-6 xl:grid-cols-[minmax(14rem,19rem)_minmax(0,1fr)]">
        <aside className="order-2 xl:order-1">
          <Suspense fallback={null}>
            <SavedViewsSection user={user} />
          </Suspense>
          <Suspense fallback={<FailureReasonsSkeleton />}>
            <FailureReasonsSection user={user} search={search} />
          </Suspense>
        </aside>
        <div className="order-1 min-w-0 space-y-4 xl:order-2">
          {/* Keyed by the filter so the form shows the URL's values after back/forward. */}
          <ClaimsFilters key={filterKey} filter={search.filter} canSearchPii={canSeePii(user)} />
          <Suspense fallback={<TableSkeleton columns={9} label="Loading claims" />}>
            <ClaimsResultsSection user={user} search={search} />
          </Suspense>
        </div>
      </div>
    </TableUrlProvider>
  );
}
