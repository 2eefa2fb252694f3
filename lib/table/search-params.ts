import { z } from "zod";
import type { PageSeek } from "@/db/queries/page-seek";

// The URL half of a server-side table: page, page size and sort live in the query string so a
// link reproduces the view and the back button steps through it. Pure functions: the server page,
// the client table, the CSV route and the actions parse and write with them, so all read the URL
// the same way.

export type SortState<TSort extends string> = { id: TSort; desc: boolean };
// `seek`: the page was reached by Next or Previous (see PageSeek); opaque here.
export type TableSearch<TSort extends string> = {
  pageIndex: number;
  pageSize: number;
  sort: SortState<TSort>;
  seek?: PageSeek;
};

export type TableSearchOptions<TSort extends string> = {
  sortIds: readonly TSort[]; // the whitelist: anything else in the URL falls back to the default
  defaultSort: SortState<TSort>;
  pageSizes: readonly number[];
  defaultPageSize: number;
  maxPage?: number;
};

export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

export const TABLE_KEYS = { page: "page", size: "size", sort: "sort", after: "after", before: "before" } as const;

// Next hands pages a record (repeated keys as arrays); the client has URLSearchParams.
export function toUrlSearchParams(input: SearchParamsInput): URLSearchParams {
  if (input instanceof URLSearchParams) return new URLSearchParams(input);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (Array.isArray(value)) {
      for (const v of value) params.append(key, v);
    } else if (value !== undefined) params.set(key, value);
  }
  return params;
}

const pageNumber = z.coerce.number().int().min(1);
const seekKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/);

function parseSeek(params: URLSearchParams): PageSeek | undefined {
  for (const direction of ["after", "before"] as const) {
    const key = seekKey.safeParse(params.get(TABLE_KEYS[direction]) ?? undefined);
    if (key.success) return { direction, key: key.data };
  }
  return undefined;
}

export function parseTableSearch<TSort extends string>(
  input: SearchParamsInput,
  options: TableSearchOptions<TSort>,
): TableSearch<TSort> {
  const params = toUrlSearchParams(input);
  const page = pageNumber.safeParse(params.get(TABLE_KEYS.page) ?? undefined);
  const size = z.coerce
    .number()
    .int()
    .safeParse(params.get(TABLE_KEYS.size) ?? undefined);
  const [sortId, direction] = (params.get(TABLE_KEYS.sort) ?? "").split(".");
  const sortOk =
    (options.sortIds as readonly string[]).includes(sortId) && (direction === "asc" || direction === "desc");
  const pageIndex = page.success ? Math.min(page.data, options.maxPage ?? 100_000) - 1 : 0;
  const seek = pageIndex > 0 ? parseSeek(params) : undefined;
  return {
    pageIndex,
    pageSize: size.success && options.pageSizes.includes(size.data) ? size.data : options.defaultPageSize,
    sort: sortOk ? { id: sortId as TSort, desc: direction === "desc" } : options.defaultSort,
    ...(seek ? { seek } : {}),
  };
}

// Writes the table keys into params, leaving defaults out so links stay short.
export function writeTableSearch<TSort extends string>(
  params: URLSearchParams,
  search: TableSearch<TSort>,
  options: TableSearchOptions<TSort>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (search.pageIndex > 0) next.set(TABLE_KEYS.page, String(search.pageIndex + 1));
  else next.delete(TABLE_KEYS.page);
  if (search.pageSize !== options.defaultPageSize) next.set(TABLE_KEYS.size, String(search.pageSize));
  else next.delete(TABLE_KEYS.size);
  const isDefaultSort = search.sort.id === options.defaultSort.id && search.sort.desc === options.defaultSort.desc;
  if (isDefaultSort) next.delete(TABLE_KEYS.sort);
  else next.set(TABLE_KEYS.sort, `${search.sort.id}.${search.sort.desc ? "desc" : "asc"}`);
  next.delete(TABLE_KEYS.after);
  next.delete(TABLE_KEYS.before);
  if (search.seek && search.pageIndex > 0) next.set(TABLE_KEYS[search.seek.direction], search.seek.key);
  return next;
}
