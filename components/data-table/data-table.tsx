"use client";

import {
  type ColumnDef,
  functionalUpdate,
  type OnChangeFn,
  type PaginationState,
  type RowData,
  type RowSelectionState,
  type SortingState,
  useTable,
} from "@tanstack/react-table";
import { useCallback, useEffect, useMemo, useRef } from "react";
import type { PageSeek } from "@/db/queries/page-seek";
import { type TableSearch, type TableSearchOptions, writeTableSearch } from "@/lib/table/search-params";
import { type DataTableFeatures, dataTableFeatures } from "./features";
import { Pagination } from "./pagination";
import { ariaSort, SortHeader } from "./sort-header";
import { useTableUrl } from "./table-url";

// A generic server-side table: TanStack Table v9 in manual mode. The server sorted, filtered and
// paged `data`; this component renders it and turns sort and page changes into URL changes, which
// make the server page render the next rows. Nothing is sorted or sliced in the browser.

// Tighter cells below 1280 px, so a ten-column list fits a 1024 px screen without scrolling.
const CELL = "px-2 py-2 xl:px-3";

export type DataTableSelection<TData> = {
  state: RowSelectionState;
  onChange: OnChangeFn<RowSelectionState>;
  rowLabel: (row: TData) => string; // e.g. "Select claim 123"
  pageLabel?: string;
};

export type DataTableProps<TData extends RowData> = {
  columns: ColumnDef<DataTableFeatures, TData, unknown>[];
  data: TData[];
  getRowId: (row: TData) => string;
  search: TableSearch<string>;
  searchOptions: TableSearchOptions<string>;
  total: { count: number; exact: boolean };
  caption: string;
  emptyState: React.ReactNode;
  selection?: DataTableSelection<TData>;
  // Sort keys of the first and last row, when the server can start a page at a key: Next and
  // Previous then carry them, so a deep page is as quick as the first (see PageSeek).
  seekKeys?: { first?: string; last?: string };
};

function Checkbox({
  checked,
  indeterminate,
  label,
  onChange,
}: {
  checked: boolean;
  indeterminate?: boolean;
  label: string;
  onChange: (e: React.ChangeEvent<HTMLInputElement>) => void;
}) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = Boolean(indeterminate) && !checked;
  }, [indeterminate, checked]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label={label}
      checked={checked}
      onChange={onChange}
      className="h-4 w-4 accent-primary"
    />
  );
}

export function DataTable<TData extends RowData>(props: DataTableProps<TData>) {
  const { columns, data, getRowId, search, searchOptions, total, caption, emptyState, selection, seekKeys } = props;
  const { searchParams, navigate, isPending } = useTableUrl();

  const sorting = useMemo<SortingState>(
    () => [{ id: search.sort.id, desc: search.sort.desc }],
    [search.sort.id, search.sort.desc],
  );
  const pagination = useMemo<PaginationState>(
    () => ({ pageIndex: search.pageIndex, pageSize: search.pageSize }),
    [search.pageIndex, search.pageSize],
  );

  const go = useCallback(
    (next: TableSearch<string>) => navigate(writeTableSearch(searchParams, next, searchOptions)),
    [navigate, searchParams, searchOptions],
  );
  const onSortingChange = useCallback<OnChangeFn<SortingState>>(
    (updater) => {
      const [first] = functionalUpdate(updater, sorting);
      // One sort at a time, always present: each whitelisted sort follows one index on the server.
      go({
        ...search,
        pageIndex: 0,
        seek: undefined,
        sort: first ? { id: first.id, desc: first.desc } : searchOptions.defaultSort,
      });
    },
    [go, search, sorting, searchOptions.defaultSort],
  );
  const onPaginationChange = useCallback<OnChangeFn<PaginationState>>(
    (updater) => {
      const next = functionalUpdate(updater, pagination);
      if (next.pageSize !== pagination.pageSize)
        return go({ ...search, pageIndex: 0, pageSize: next.pageSize, seek: undefined });
      const seek: PageSeek | undefined =
        next.pageIndex === pagination.pageIndex + 1 && seekKeys?.last
          ? { direction: "after", key: seekKeys.last }
          : next.pageIndex === pagination.pageIndex - 1 && next.pageIndex > 0 && seekKeys?.first
            ? { direction: "before", key: seekKeys.first }
            : undefined;
      go({ ...search, pageIndex: next.pageIndex, seek });
    },
    [go, pagination, search, seekKeys],
  );
  const noSelection = useMemo<RowSelectionState>(() => ({}), []);

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId,
    manualSorting: true,
    manualPagination: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    rowCount: total.count,
    pageCount: total.exact ? Math.max(1, Math.ceil(total.count / search.pageSize)) : -1,
    enableRowSelection: Boolean(selection),
    state: { sorting, pagination, rowSelection: selection?.state ?? noSelection },
    onSortingChange,
    onPaginationChange,
    onRowSelectionChange: selection?.onChange,
  });

  const rows = table.getRowModel().rows;
  const headerGroups = table.getHeaderGroups();
  const sortedHeader = headerGroups[0]?.headers.find((h) => h.column.getIsSorted());
  const sortText = sortedHeader
    ? `, sorted by ${String(sortedHeader.column.columnDef.header ?? sortedHeader.id)} ` +
      (sortedHeader.column.getIsSorted() === "asc" ? "ascending" : "descending")
    : "";

  return (
    <div>
      <div
        className={`overflow-x-auto rounded border border-base-light bg-white transition-opacity ${
          isPending ? "opacity-60" : ""
        }`}
      >
        <table className="w-full border-collapse text-left text-sm" aria-busy={isPending}>
          <caption className="sr-only">
            {caption}
            {sortText}
          </caption>
          <thead className="bg-gray-50">
            {headerGroups.map((group) => (
              <tr key={group.id} className="border-b border-base-light">
                {selection && (
                  <th scope="col" className={`w-10 ${CELL}`}>
                    <Checkbox
                      checked={rows.length > 0 && table.getIsAllPageRowsSelected()}
                      indeterminate={table.getIsSomePageRowsSelected()}
                      label={selection.pageLabel ?? "Select all rows on this page"}
                      onChange={table.getToggleAllPageRowsSelectedHandler()}
                    />
                  </th>
                )}
                {group.headers.map((header) => (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={ariaSort(header)}
                    className={`${CELL} font-semibold whitespace-nowrap ${
                      header.column.columnDef.meta?.className ?? ""
                    }`}
                  >
                    {header.isPlaceholder ? null : (
                      <SortHeader header={header}>
                        <table.FlexRender header={header} />
                      </SortHeader>
                    )}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.id}
                className={`border-b border-base-light last:border-0 ${
                  row.getIsSelected() ? "bg-blue-50" : "hover:bg-gray-50"
                }`}
              >
                {selection && (
                  <td className={CELL}>
                    <Checkbox
                      checked={row.getIsSelected()}
                      label={selection.rowLabel(row.original)}
                      onChange={row.getToggleSelectedHandler()}
                    />
                  </td>
                )}
                {row.getAllCells().map((cell) => {
                  const meta = cell.column.columnDef.meta;
                  const className = `${CELL} align-top ${meta?.className ?? ""}`;
                  return meta?.rowHeader ? (
                    <th key={cell.id} scope="row" className={`${className} font-normal`}>
                      <table.FlexRender cell={cell} />
                    </th>
                  ) : (
                    <td key={cell.id} className={className}>
                      <table.FlexRender cell={cell} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <div className="p-8 text-center">{emptyState}</div>}
      </div>
      <Pagination
        pageIndex={search.pageIndex}
        pageSize={search.pageSize}
        pageSizes={searchOptions.pageSizes}
        rowsOnPage={rows.length}
        total={total}
        disabled={isPending}
        onPageChange={(pageIndex) => table.setPageIndex(pageIndex)}
        onPageSizeChange={(pageSize) => table.setPageSize(pageSize)}
      />
    </div>
  );
}
