"use client";

import type { Header, RowData } from "@tanstack/react-table";
import type { DataTableFeatures } from "./features";

// A sortable column header is a real button (keyboard and screen reader users can sort), and the
// <th> carries aria-sort so the current order is announced.

type AnyHeader<TData extends RowData> = Header<DataTableFeatures, TData, unknown>;

export function ariaSort<TData extends RowData>(
  header: AnyHeader<TData>,
): "ascending" | "descending" | "none" | undefined {
  if (!header.column.getCanSort()) return undefined;
  const sorted = header.column.getIsSorted();
  return sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none";
}

export function SortHeader<TData extends RowData>({
  header,
  children,
}: {
  header: AnyHeader<TData>;
  children: React.ReactNode;
}) {
  if (!header.column.getCanSort()) return <>{children}</>;
  const sorted = header.column.getIsSorted();
  const next = header.column.getNextSortingOrder();
  return (
    <button
      type="button"
      onClick={header.column.getToggleSortingHandler()}
      className="inline-flex items-center gap-1 font-semibold text-primary-dark underline-offset-2 hover:underline"
      title={next ? `Sort ${next === "asc" ? "ascending" : "descending"}` : undefined}
    >
      {children}
      <span aria-hidden="true" className="text-xs">
        {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
      </span>
    </button>
  );
}
