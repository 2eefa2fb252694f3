"use client";

import { useTableUrl } from "@/components/data-table/table-url";

export type ReasonItem = { reason: string; count: number; exact: boolean; href: string; current: boolean };

const fmt = new Intl.NumberFormat("en-US");
const CURRENT = "bg-blue-50 font-semibold";
const LINK = "text-primary-dark underline";

// Links (shareable, open in a new tab) that navigate through the table's URL channel when clicked.
export function FailureReasonList({
  items,
  allHref,
  anySelected,
}: {
  items: ReasonItem[];
  allHref: string;
  anySelected: boolean;
}) {
  const { navigate } = useTableUrl();
  const follow = (href: string) => (e: React.MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(new URLSearchParams(href.split("?")[1] ?? ""));
  };
  return (
    <ul className="divide-y divide-base-light text-sm">
      <li>
        <a
          href={allHref}
          onClick={follow(allHref)}
          aria-current={anySelected ? undefined : "true"}
          className={`block px-3 py-2 hover:bg-blue-50 ${anySelected ? LINK : CURRENT}`}
        >
          All reasons
        </a>
      </li>
      {items.map((item) => (
        <li key={item.reason}>
          <a
            href={item.href}
            onClick={follow(item.href)}
            aria-current={item.current ? "true" : undefined}
            className={`flex items-start justify-between gap-3 px-3 py-2 hover:bg-blue-50 ${
              item.current ? CURRENT : "text-primary-dark"
            }`}
          >
            <span className="break-words underline-offset-2 hover:underline">{item.reason}</span>
            <span className="shrink-0 rounded bg-gray-100 px-2 py-0.5 text-ink tabular-nums">
              {item.exact ? (
                ""
              ) : (
                <>
                  <span aria-hidden="true">≈</span>
                  <span className="sr-only">about </span>
                </>
              )}
              {fmt.format(item.count)}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
