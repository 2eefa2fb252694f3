import Link from "next/link";
import { number } from "./labels";

// Server-rendered pagination: plain links that carry the rest of the URL state, so it works without
// JavaScript and the back button steps through pages.

export type PageState = { pageIndex: number; pageSize: number };

export function parsePageState(
  params: Record<string, string | string[] | undefined>,
  sizes: readonly number[],
  defaultSize: number,
): PageState {
  const page = Number(typeof params.page === "string" ? params.page : 1);
  const size = Number(typeof params.size === "string" ? params.size : defaultSize);
  return {
    pageIndex: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page - 1 : 0,
    pageSize: sizes.includes(size) ? size : defaultSize,
  };
}

export function hrefWith(
  path: string,
  params: Record<string, string | string[] | undefined>,
  patch: Record<string, string | null>,
) {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === "string") next.set(k, v);
    else if (Array.isArray(v)) for (const x of v) next.append(k, x);
  }
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  const query = next.toString();
  return query ? `${path}?${query}` : path;
}

export function Pager({
  path,
  params,
  state,
  total,
  label,
}: {
  path: string;
  params: Record<string, string | string[] | undefined>;
  state: PageState;
  total: number;
  label: string;
}) {
  const pages = Math.max(1, Math.ceil(total / state.pageSize));
  const current = Math.min(state.pageIndex + 1, pages);
  const first = total === 0 ? 0 : state.pageIndex * state.pageSize + 1;
  const last = Math.min(total, (state.pageIndex + 1) * state.pageSize);
  const link = (page: number, text: string, rel?: string) => (
    <Link
      rel={rel}
      href={hrefWith(path, params, { page: page === 1 ? null : String(page) })}
      className="rounded border border-primary px-3 py-1 font-semibold text-primary-dark hover:bg-blue-50"
    >
      {text}
    </Link>
  );
  const disabled = (text: string) => (
    <span aria-disabled="true" className="rounded border border-base-light px-3 py-1 text-muted">
      {text}
    </span>
  );
  const rowsText = `Rows ${number.format(first)}–${number.format(last)} of ${number.format(total)}`;
  return (
    <nav aria-label={label} className="mt-3 flex flex-wrap items-center justify-between gap-3 text-sm">
      <p aria-live="polite">
        {total === 0 ? "No rows" : rowsText} · page {number.format(current)} of {number.format(pages)}
      </p>
      <div className="flex gap-2">
        {current > 1 ? link(1, "First") : disabled("First")}
        {current > 1 ? link(current - 1, "Previous", "prev") : disabled("Previous")}
        {current < pages ? link(current + 1, "Next", "next") : disabled("Next")}
        {current < pages ? link(pages, "Last") : disabled("Last")}
      </div>
    </nav>
  );
}
