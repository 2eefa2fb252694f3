"use client";

import { functionalUpdate, type OnChangeFn, type RowSelectionState } from "@tanstack/react-table";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { formatTotal } from "@/components/data-table/pagination";
import { useTableUrl } from "@/components/data-table/table-url";
import type { ClaimsCount } from "@/db/queries/claims-list";
import type { ClaimRow } from "@/lib/claims/claim-rows";
import { describeFilter } from "@/lib/claims/describe-filter";
import { isEmptyFilter } from "@/lib/claims/filters";
import { CLAIMS_TABLE_OPTIONS, type ClaimsSearch } from "@/lib/claims/search-params";
import { type ClaimSelection, MAX_SELECTED_IDS } from "@/lib/claims/selection";
import { countOf, plural } from "@/lib/plural";
import { COLUMNS_KEY, parseViewColumns, showsColumn } from "@/lib/views/columns";
import { claimsColumns } from "./claims-columns";
import { ResubmitDialog } from "./resubmit-dialog";
import { useResubmittedRefresh } from "./use-resubmitted-refresh";

// The triage list: the generic server-side table plus claim selection (rows, a page, or all
// matching the filter) and the actions on it. Rows arrive masked from the server.

type Props = {
  rows: ClaimRow[];
  total: ClaimsCount;
  search: ClaimsSearch;
  canResubmit: boolean;
  exportHref: string;
  searchHint?: string; // why a search found nothing, when the text cannot match anything
  seekKeys?: { first?: string; last?: string };
  // The URL asked for a page past the end of the list: where the end is.
  pastEnd?: { page: number; lastPage: number | null; href: string };
  // A search with more than one meaning: how many claims each matched.
  searchMatches?: { label: string; count: ClaimsCount }[];
};

const getRowId = (row: ClaimRow) => String(row.id);
const rowLabel = (row: ClaimRow) => `Select claim ${row.id}`;
const fmt = new Intl.NumberFormat("en-US");
const EXPORT_LINK =
  "rounded border border-primary bg-white px-3 py-2 text-sm font-semibold text-primary-dark hover:bg-blue-50";
const RESUBMIT_BUTTON =
  "rounded bg-primary px-3 py-2 text-sm font-semibold text-white hover:bg-primary-dark " +
  "disabled:cursor-not-allowed disabled:bg-gray-400";

export function ClaimsTable(props: Props) {
  const { rows, total, search, canResubmit, exportHref, searchHint, seekKeys, pastEnd, searchMatches } = props;
  const [explicit, setExplicit] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  // What the dialog acts on, fixed when it opens: the list's own selection is cleared as soon as the
  // batch exists, while the dialog still reports on it.
  const [dialog, setDialog] = useState<{ selection: ClaimSelection; summary: string; everything: boolean } | null>(
    null,
  );
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { takeFocusRequest, searchParams } = useTableUrl();
  // A saved view may show fewer columns (cols in the URL); the claim id always shows.
  const colsParam = searchParams.get(COLUMNS_KEY);
  const columns = useMemo(() => {
    const shown = parseViewColumns(colsParam);
    return shown ? claimsColumns.filter((c) => showsColumn(shown, String(c.id))) : claimsColumns;
  }, [colsParam]);
  const [focusHeading, setFocusHeading] = useState(false);
  const resubmitted = useResubmittedRefresh(rows);

  // New rows after Apply: focus lands on the count of what matched, not on the page body.
  useEffect(() => {
    if (rows && takeFocusRequest()) headingRef.current?.focus();
  }, [rows, takeFocusRequest]);
  // After the dialog has closed (and tried to give focus back to a Resubmit button that is now disabled).
  useEffect(() => {
    if (focusHeading && !dialog) {
      headingRef.current?.focus();
      setFocusHeading(false);
    }
  }, [focusHeading, dialog]);

  const pageSelection = useMemo(() => Object.fromEntries(rows.map((r) => [String(r.id), true as const])), [rows]);
  const shownSelection = allMatching ? pageSelection : explicit;
  const onSelectionChange = useCallback<OnChangeFn<RowSelectionState>>(
    (updater) => {
      // Touching a checkbox while "all matching" is on goes back to explicit rows, starting from this page.
      setExplicit((prev) => functionalUpdate(updater, allMatching ? pageSelection : prev));
      setAllMatching(false);
    },
    [allMatching, pageSelection],
  );

  const selectedIds = useMemo(() => Object.keys(explicit).map(Number), [explicit]);
  const selectedCount = allMatching ? total.count : selectedIds.length;
  const wholePageSelected = rows.length > 0 && rows.every((r) => explicit[String(r.id)]);
  const moreThanPage = !total.exact || total.count > rows.length;
  const tooMany = !allMatching && selectedIds.length > MAX_SELECTED_IDS;

  const selection = useMemo<ClaimSelection>(
    () =>
      allMatching
        ? { kind: "filter", filter: search.filter }
        : { kind: "ids", ids: selectedIds.slice(0, MAX_SELECTED_IDS) },
    [allMatching, search.filter, selectedIds],
  );
  const summary = allMatching
    ? `all ${formatTotal(total)} claims matching ${describeFilter(search.filter)}`
    : `${countOf(selectedIds.length, "selected claim")}`;

  const clear = () => {
    setExplicit({});
    setAllMatching(false);
  };

  const emptyState = pastEnd ? (
    <div className="space-y-2">
      <p className="text-lg font-semibold">Page {fmt.format(pastEnd.page)} is past the end of this list</p>
      <p>
        {pastEnd.lastPage
          ? `These filters match ${countOf(total.count, "claim")}, on ${countOf(pastEnd.lastPage, "page")}.`
          : `These filters match ${formatTotal(total)} claims; the last page cannot be told exactly.`}
      </p>
      <Link href={pastEnd.href} className="font-semibold text-primary-dark underline">
        {pastEnd.lastPage ? `Go to the last page (page ${fmt.format(pastEnd.lastPage)})` : "Go to the first page"}
      </Link>
    </div>
  ) : (
    <div className="space-y-2">
      <p className="text-lg font-semibold">No claims match these filters</p>
      {searchHint && <p>{searchHint}</p>}
      <Link href="/claims" className="font-semibold text-primary-dark underline">
        Clear filters
      </Link>
    </div>
  );

  return (
    <section aria-label="Matching claims" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 ref={headingRef} tabIndex={-1} className="text-lg font-normal" data-testid="matching-count">
          <strong>{formatTotal(total)}</strong> matching {plural(total.exact ? total.count : 2, "claim")}
        </h2>
        {searchMatches && searchMatches.length > 1 && (
          <p className="w-full text-sm" data-testid="search-matches">
            “{search.filter.q}” matched{" "}
            {searchMatches
              .map((m) => `${m.count.exact ? fmt.format(m.count.count) : formatTotal(m.count)} by ${m.label}`)
              .join(" and ")}
            .
          </p>
        )}
        <div className="flex flex-wrap items-center gap-2">
          <a href={exportHref} className={EXPORT_LINK} download>
            Export CSV
          </a>
          {canResubmit && (
            <button
              type="button"
              disabled={selectedCount === 0 || tooMany}
              onClick={() => setDialog({ selection, summary, everything: allMatching && isEmptyFilter(search.filter) })}
              className={RESUBMIT_BUTTON}
            >
              Resubmit
              {selectedCount > 0
                ? ` ${allMatching ? "all " : ""}${allMatching ? formatTotal(total) : fmt.format(selectedCount)}`
                : ""}
              …
            </button>
          )}
        </div>
      </div>

      {canResubmit && (selectedCount > 0 || allMatching) && (
        <div
          role="status"
          className="flex flex-wrap items-center gap-3 rounded border border-primary bg-blue-50 px-3 py-2 text-sm"
        >
          {allMatching ? (
            <span>
              All <strong>{formatTotal(total)}</strong> claims matching this filter are selected.
            </span>
          ) : (
            <span>
              <strong>{fmt.format(selectedIds.length)}</strong> {plural(selectedIds.length, "claim")} selected
              {wholePageSelected ? " (this whole page)" : ""}.
            </span>
          )}
          {!allMatching && wholePageSelected && moreThanPage && (
            <button
              type="button"
              onClick={() => setAllMatching(true)}
              className="font-semibold text-primary-dark underline"
            >
              Select all {formatTotal(total)} matching this filter
            </button>
          )}
          {tooMany && (
            <span className="text-error">
              More than {fmt.format(MAX_SELECTED_IDS)} picked by hand: select all matching the filter instead.
            </span>
          )}
          <button type="button" onClick={clear} className="font-semibold text-primary-dark underline">
            Clear selection
          </button>
        </div>
      )}

      <DataTable
        columns={columns}
        data={rows}
        getRowId={getRowId}
        search={search.table}
        seekKeys={seekKeys}
        searchOptions={CLAIMS_TABLE_OPTIONS}
        total={total}
        caption="Claims"
        emptyState={emptyState}
        selection={
          canResubmit
            ? {
                state: shownSelection,
                onChange: onSelectionChange,
                rowLabel,
                pageLabel: "Select all claims on this page",
              }
            : undefined
        }
      />

      {canResubmit && (
        <ResubmitDialog
          open={dialog !== null}
          onClose={() => setDialog(null)}
          onCreated={() => {
            // The batch exists: nothing stays selected, and the rows catch up as its claims start.
            resubmitted.refreshFor(selection.kind === "ids" ? selection.ids : null);
            clear();
            // However the dialog is closed now, the Resubmit button that opened it is disabled.
            setFocusHeading(true);
          }}
          onDone={() => setDialog(null)}
          selection={dialog?.selection ?? selection}
          summary={dialog?.summary ?? summary}
          everything={dialog?.everything ?? false}
        />
      )}
    </section>
  );
}
