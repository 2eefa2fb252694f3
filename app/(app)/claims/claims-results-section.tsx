import { classifySearch } from "@/db/queries/claims-list";
import { canSeePii, hasRole, type SessionUser } from "@/lib/auth/roles";
import { loadClaimsPage } from "@/lib/claims/load-claims";
import { type ClaimsSearch, writeClaimsFilter } from "@/lib/claims/search-params";
import { getDb } from "@/lib/db";
import { ClaimsTable } from "./claims-table";

// Fetches one page of claims (and the capped count) on the server and hands them to the table.
export async function ClaimsResults({ user, search }: { user: SessionUser; search: ClaimsSearch }) {
  const { rows, total, pageIndex, seekKeys } = await loadClaimsPage(getDb(), user, search);
  const filterParams = writeClaimsFilter(new URLSearchParams(), search.filter).toString();
  const q = search.filter.q;
  const unsearchable = q && classifySearch(q, canSeePii(user)).some((s) => s.kind === "none");
  const searchHint = unsearchable
    ? canSeePii(user)
      ? `“${q}” is not a claim id, a uuid, a last name or the last 4 of a file number.`
      : `“${q}” is not a claim id or a Benefits Intake uuid. Names and file numbers are only searchable with the triager role.`
    : undefined;
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
      searchHint={searchHint}
    />
  );
}
