import { CLAIMS_TABLE_OPTIONS, parseClaimsSearch, writeClaimsFilter } from "../claims/search-params";
import { writeTableSearch } from "../table/search-params";
import { COLUMNS_KEY, parseViewColumns } from "./columns";

// A saved view is a claims list URL by name: its filter, its sort and page size, and the columns
// shown. What is stored is the query rebuilt through the list's own parser, so a view can hold
// nothing the list would not read, and never a page position.

// The list's query as a view keeps it: filter, sort and page size (no page, no seek, no columns).
export function viewQuery(raw: string): string {
  const search = parseClaimsSearch(new URLSearchParams(raw));
  const filter = writeClaimsFilter(new URLSearchParams(), search.filter);
  return writeTableSearch(filter, { ...search.table, pageIndex: 0, seek: undefined }, CLAIMS_TABLE_OPTIONS).toString();
}

// Where a view opens: its query plus its columns.
export function viewHref(view: { query: string; columns: readonly string[] }): string {
  const params = new URLSearchParams(view.query);
  const shown = parseViewColumns(view.columns.join(","));
  if (shown) params.set(COLUMNS_KEY, shown.join(","));
  const qs = params.toString();
  return qs ? `/claims?${qs}` : "/claims";
}
