import { ClaimsTable } from "@/components/claims/claims-table";
import { classifySearch } from "@/db/queries/claims-search";
import { canSeePii, hasRole, type SessionUser } from "@/lib/auth/roles";
import { loadClaimsPage } from "@/lib/claims/load-claims";
import { type ClaimsSearch, writeClaimsFilter } from "@/lib/claims/search-params";
import { getDb } from "@/lib/db";

// Loads one page of claims (and the capped count) on the server, inside the page's Suspense, and
// hands them to the client table.

function searchHintFor(q: string | undefined, piiSearch: boolean): string | undefined {
  if (!q || !classifySearch(q, piiSearch).some((s) => s.kind === "none")) return undefined;
  return piiSearch
    ? `“${q}” is not a claim id, a uuid, a last name or the last 4 of a file number.`
    : `“${q}” is not a claim id or a Benefits Intake uuid. ` +
        "Names and file numbers are only searchable with the triager role.";
}

export async function ClaimsResultsSection({ user, search }: { user: SessionUser; search: ClaimsSearch }) {
  const { rows, total, pageIndex, seekKeys } = await loadClaimsPage(getDb(), user, search);
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
    />
  );
}
