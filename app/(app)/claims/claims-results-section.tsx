import { ClaimsTable } from "@/components/claims/claims-table";
import type { ClaimsCount } from "@/db/queries/claims-list";
import { classifySearch } from "@/db/queries/claims-search";
import { canSeePii, hasRole, type SessionUser } from "@/lib/auth/roles";
import { loadClaimsPage } from "@/lib/claims/load-claims";
import { CLAIMS_TABLE_OPTIONS, type ClaimsSearch, claimsHref, writeClaimsFilter } from "@/lib/claims/search-params";
import { getDb } from "@/lib/db";

// Loads one page of claims (and the capped count) on the server, inside the page's Suspense, and
// hands them to the client table.

function searchHintFor(q: string | undefined, piiSearch: boolean): string | undefined {
  if (!q || !classifySearch(q, piiSearch).some((s) => s.kind === "none")) return undefined;
  return piiSearch
    ? `“${q}” is not a claim id, a uuid, a name, an e-mail, a file number or its last 4.`
    : `“${q}” is not a claim id or a Benefits Intake uuid. ` +
        "Names and file numbers are only searchable with the triager role.";
}

// An empty page after the first: the link points past the end of the list. Say so, and where the
// end is (the last page when the count is exact, else the first).
function pastEndOf(search: ClaimsSearch, total: ClaimsCount, rowCount: number, pageIndex: number) {
  if (rowCount > 0 || pageIndex === 0 || total.count === 0) return undefined;
  const lastPage = total.exact ? Math.ceil(total.count / search.table.pageSize) : null;
  const target = lastPage ? Math.min(lastPage, CLAIMS_TABLE_OPTIONS.maxPage ?? lastPage) : 1;
  return {
    page: pageIndex + 1,
    lastPage,
    href: claimsHref({ ...search, table: { ...search.table, pageIndex: target - 1, seek: undefined } }),
  };
}

export async function ClaimsResultsSection({ user, search }: { user: SessionUser; search: ClaimsSearch }) {
  const loaded = await loadClaimsPage(getDb(), user, search);
  const { rows, pageIndex, seekKeys } = loaded;
  // The first page came back empty: whatever the planner estimated, nothing matches.
  const total = rows.length === 0 && pageIndex === 0 ? { count: 0, exact: true } : loaded.total;
  const filterParams = writeClaimsFilter(new URLSearchParams(), search.filter).toString();
  return (
    <ClaimsTable
      // A new filter is a new selection: remount so nothing selected under the old filter lingers.
      key={filterParams}
      rows={rows}
      total={total}
      // The page actually shown: Previous from a stale link can land on the first page.
      search={
        pageIndex === search.table.pageIndex
          ? search
          : { ...search, table: { ...search.table, pageIndex, seek: undefined } }
      }
      seekKeys={seekKeys}
      canResubmit={hasRole(user, "triager")}
      exportHref={`/api/claims/export${filterParams ? `?${filterParams}` : ""}`}
      searchHint={searchHintFor(search.filter.q, canSeePii(user))}
      pastEnd={pastEndOf(search, total, rows.length, pageIndex)}
      searchMatches={loaded.searchMatches.map((m) => ({ label: m.label, count: m.count }))}
    />
  );
}
