"use client";

import Link from "next/link";
import { createDataTableColumnHelper } from "@/components/data-table/features";
import type { ClaimRow } from "@/lib/claims/claim-rows";
import { attemptStatusLabel } from "@/lib/claims/labels";
import { BlackHoleBadge, TriageBadge } from "./triage-badge";

// Sortable columns' ids are the whitelisted sort ids (lib/claims/filters.ts), each served by an
// index at a million claims. The others have none; reason is a filter with counts instead.

const helper = createDataTableColumnHelper<ClaimRow>();
const dateFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

export const claimsColumns = helper.columns([
  helper.accessor("id", {
    id: "id",
    header: "Claim",
    meta: { rowHeader: true, className: "whitespace-nowrap" },
    cell: (info) => (
      <>
        <Link href={`/claims/${info.getValue()}`} className="font-semibold text-primary-dark underline">
          {info.getValue()}
        </Link>
        {info.row.original.matchedOn && (
          <span className="block text-xs text-muted">by {info.row.original.matchedOn}</span>
        )}
      </>
    ),
  }),
  helper.accessor("formType", {
    id: "formType",
    header: "Form",
    meta: { className: "whitespace-nowrap" },
  }),
  helper.accessor("veteran", { id: "veteran", header: "Veteran", enableSorting: false }),
  helper.accessor("submittedAt", {
    id: "submittedAt",
    header: "Submitted",
    sortDescFirst: true,
    meta: { className: "whitespace-nowrap" },
    cell: (info) => <time dateTime={info.getValue()}>{dateFormat.format(new Date(info.getValue()))}</time>,
  }),
  helper.accessor("failureReason", {
    id: "failureReason",
    header: "Primary failure reason",
    enableSorting: false,
    meta: { className: "min-w-48 max-w-xs" },
    cell: (info) => (
      <span className="line-clamp-2 break-words" title={info.getValue() ?? undefined}>
        {info.getValue() ?? "—"}
      </span>
    ),
  }),
  helper.accessor("attemptCount", {
    id: "attempts",
    header: "Attempts",
    sortDescFirst: true,
    meta: { className: "text-right" },
  }),
  helper.accessor("latestStatus", {
    id: "latestStatus",
    header: "Latest status",
    enableSorting: false,
    cell: (info) => attemptStatusLabel(info.getValue()),
  }),
  helper.accessor("batchId", {
    id: "batch",
    header: "Batch",
    enableSorting: false,
    cell: (info) => {
      const id = info.getValue();
      return id ? (
        <Link href={`/batches/${id}`} className="text-primary-dark underline">
          #{id}
        </Link>
      ) : (
        "—"
      );
    },
  }),
  helper.accessor("triageState", {
    id: "triageState",
    header: "Triage state",
    cell: (info) => (
      <span className="flex flex-wrap gap-1">
        <TriageBadge state={info.getValue()} />
        {info.row.original.blackHole && <BlackHoleBadge />}
      </span>
    ),
  }),
]);
