"use client";

import { functionalUpdate, type OnChangeFn, type RowSelectionState } from "@tanstack/react-table";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { formatTotal } from "@/components/data-table/pagination";
import type { ClaimsCount } from "@/db/queries/claims-list";
import type { ClaimRow } from "@/lib/claims/claim-rows";
import { describeFilter } from "@/lib/claims/describe-filter";
import { isEmptyFilter } from "@/lib/claims/filters";
import { CLAIMS_TABLE_OPTIONS, type ClaimsSearch } from "@/lib/claims/search-params";
import { type ClaimSelection, MAX_SELECTED_IDS } from "@/lib/claims/selection";
import { countOf } from "@/lib/plural";
import { claimsColumns } from "./claims-columns";
import { ResubmitDialog } from "./resubmit-dialog";

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
};

const getRowId = (row: ClaimRow) => String(row.id);
const rowLabel = (row: ClaimRow) => `Select claim ${row.id}`;
const fmt = new Intl.NumberFormat("en-US");
const EXPORT_LINK =
  "rounded border border-primary bg-white px-3 py-2 text-sm font-semibold text-primary-dark hover:bg-blue-50";
const RESUBMIT_BUTTON =
  "rounded bg-primary px-3 py-2 text-sm font-semibold text-white hover:bg-primary-dark " +
  "disabled:cursor-not-allowed disabled:bg-gray-400";

export function ClaimsTable({ rows, total, search, canResubmit, exportHref, searchHint, seekKeys, pastEnd }: Props) {
  const [explicit, setExplicit] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  const [dialogOpen, setDialogOpen] = useState(false);

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
    : `${fmt.format(selectedIds.length)} selected claim${selectedIds.length === 1 ? "" : "s"}`;

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
        <p className="text-lg" data-testid="matching-count">
          <strong>{formatTotal(total)}</strong> matching claim{total.count === 1 && total.exact ? "" : "s"}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <a href={exportHref} className={EXPORT_LINK} download>
            Export CSV
          </a>
          {canResubmit && (
            <button
              type="button"
              disabled={selectedCount === 0 || tooMany}
              onClick={() => setDialogOpen(true)}
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
              <strong>{fmt.format(selectedIds.length)}</strong> claim{selectedIds.length === 1 ? "" : "s"} selected
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
        columns={claimsColumns}
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
          open={dialogOpen}
          onClose={() => setDialogOpen(false)}
          onDone={() => {
            setDialogOpen(false);
            clear();
          }}
          selection={selection}
          summary={summary}
          everything={allMatching && isEmptyFilter(search.filter)}
        />
      )}
    </section>
  );
}
