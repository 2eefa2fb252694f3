import { z } from "zod";
import { CLAIMS_TABLE_OPTIONS, parseClaimsSearch, writeClaimsFilter } from "../claims/search-params";
import { storableText } from "../storable-text";
import { writeTableSearch } from "../table/search-params";
import { COLUMNS_KEY, isHideableColumn, parseViewColumns } from "./columns";

// A saved view is a claims list URL by name: its filter, its sort and page size, and the columns
// shown. What is stored is the query rebuilt through the list's own parser, so a view can hold
// nothing the list would not read, and never a page position.

export const savedViewInputSchema = z.object({
  name: storableText(
    z.string().trim().min(1, "Give the view a name").max(80, "Keep the name under 80 characters"),
    "The name",
  ),
  shared: z.boolean(),
  query: storableText(z.string().max(2000), "The view"),
  columns: z.array(z.string().refine(isHideableColumn, "not a column of the claims list")).max(20),
});

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
