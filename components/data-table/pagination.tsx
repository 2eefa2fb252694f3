"use client";

import { useId } from "react";

// Page controls for a server-side table. Above the count cap the total is an estimate, so the
// last page is not offered and "next" follows what the server returned.

export type PaginationProps = {
  pageIndex: number;
  pageSize: number;
  pageSizes: readonly number[];
  rowsOnPage: number;
  total: { count: number; exact: boolean };
  onPageChange: (pageIndex: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  disabled?: boolean;
};

const fmt = new Intl.NumberFormat("en-US");

export function formatTotal(total: { count: number; exact: boolean }) {
  return total.exact ? fmt.format(total.count) : `about ${fmt.format(total.count)} (estimated)`;
}

export function Pagination({
  pageIndex,
  pageSize,
  pageSizes,
  rowsOnPage,
  total,
  onPageChange,
  onPageSizeChange,
  disabled,
}: PaginationProps) {
  const sizeId = useId();
  const first = rowsOnPage === 0 ? 0 : pageIndex * pageSize + 1;
  const last = pageIndex * pageSize + rowsOnPage;
  const pageCount = total.exact ? Math.max(1, Math.ceil(total.count / pageSize)) : undefined;
  const canNext = rowsOnPage === pageSize && (!total.exact || last < total.count);
  const canPrevious = pageIndex > 0;
  const button =
    "rounded border border-primary px-3 py-1 text-sm font-semibold text-primary-dark hover:bg-blue-50 " +
    "disabled:cursor-not-allowed disabled:border-base-light disabled:text-muted disabled:hover:bg-transparent";
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 py-3 text-sm">
      <p aria-live="polite">
        {rowsOnPage === 0 ? (
          "No rows"
        ) : (
          <>
            Showing {fmt.format(first)}–{fmt.format(last)} of {formatTotal(total)}
          </>
        )}
        {pageCount !== undefined && rowsOnPage > 0 && (
          <span className="text-muted">
            {" "}
            · page {fmt.format(pageIndex + 1)} of {fmt.format(pageCount)}
          </span>
        )}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={sizeId}>Rows per page</label>
        <select
          id={sizeId}
          value={pageSize}
          disabled={disabled}
          onChange={(e) => onPageSizeChange(Number(e.target.value))}
          className="rounded border border-gray-500 bg-white px-2 py-1"
        >
          {pageSizes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <button type="button" className={button} disabled={disabled || !canPrevious} onClick={() => onPageChange(0)}>
          First
        </button>
        <button
          type="button"
          className={button}
          disabled={disabled || !canPrevious}
          onClick={() => onPageChange(pageIndex - 1)}
        >
          Previous
        </button>
        <button
          type="button"
          className={button}
          disabled={disabled || !canNext}
          onClick={() => onPageChange(pageIndex + 1)}
        >
          Next
        </button>
        {pageCount !== undefined && (
          <button
            type="button"
            className={button}
            disabled={disabled || pageIndex + 1 >= pageCount}
            onClick={() => onPageChange(pageCount - 1)}
          >
            Last
          </button>
        )}
      </div>
    </nav>
  );
}
