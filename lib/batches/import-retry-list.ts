import { sql } from "drizzle-orm";
import { idArray, textArray } from "@/db/bind-array";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { savedClaims } from "@/db/schema";
import { getEnv } from "../env";
import { createBatch } from "./create-batch";
import { type ParsedRetryList, parseRetryList, RETRY_LIST_LIMITS } from "./parse-retry-list";
import { ROW_OUTCOMES, type RowOutcome } from "./retry-list-outcomes";
import {
  type DedupePolicy,
  INCLUDED_OUTCOMES,
  type RetryListReview,
  type ReviewedRow,
  reviewRetryList,
} from "./review-retry-list";

// Import of a reviewed retry list (docs/design.md §6; the hand-off note's reviewed master list): the admin uploads the list, reads the
// row-by-row report, then confirms; only then is a *draft* batch of the accepted rows created.
// Nothing is kept between the two steps: the confirmation sends the file again, it is parsed and
// reviewed again, and the batch is created only if the accepted rows are exactly those the admin
// saw (same hash), so a claim confirmed or excluded in between cannot slip in unnoticed.

export type ImportOptions = { dedupe: DedupePolicy };

// A list becomes one batch, so it may not have more rows than a batch may hold (BATCH_MAX_CLAIMS,
// lib/batches/batch-limit.ts); the file is refused with a message that says to split it.
const listLimits = () => ({ maxRows: Math.min(RETRY_LIST_LIMITS.maxRows, getEnv().BATCH_MAX_CLAIMS) });

// What the browser gets back: complete counts, and the rows worth reading (every row that is not
// accepted, and a sample of those that are); 100,000 accepted rows would not help anyone.
export const REPORT_ROW_LIMIT = 5_000;
export const ACCEPTED_SAMPLE = 50;

export type ImportReport = {
  fileName: string;
  bytes: number;
  hasHeader: boolean;
  totalRows: number;
  counts: Record<RowOutcome, number>;
  acceptedCount: number;
  acceptedHash: string;
  problemRows: ReportRow[];
  problemRowsTruncated: boolean;
  acceptedSample: ReportRow[];
};

export type ReportRow = {
  line: number;
  claimIdText: string;
  claimId: number | null;
  outcome: RowOutcome;
  label: string;
  message: string;
  note: string | null;
};

function toReportRow(r: ReviewedRow): ReportRow {
  return {
    line: r.line,
    claimIdText: r.claimIdText.slice(0, 40),
    claimId: r.claimId,
    outcome: r.outcome,
    label: ROW_OUTCOMES[r.outcome],
    message: r.message,
    note: r.note,
  };
}

export function buildReport(fileName: string, parsed: ParsedRetryList, review: RetryListReview): ImportReport {
  const problems = review.rows.filter((r) => !INCLUDED_OUTCOMES.includes(r.outcome));
  return {
    fileName,
    bytes: parsed.bytes,
    hasHeader: parsed.hasHeader,
    totalRows: parsed.rows.length,
    counts: review.counts,
    acceptedCount: review.accepted.length,
    acceptedHash: review.acceptedHash,
    problemRows: problems.slice(0, REPORT_ROW_LIMIT).map(toReportRow),
    problemRowsTruncated: problems.length > REPORT_ROW_LIMIT,
    acceptedSample: review.rows
      .filter((r) => INCLUDED_OUTCOMES.includes(r.outcome))
      .slice(0, ACCEPTED_SAMPLE)
      .map(toReportRow),
  };
}

export async function previewRetryList(
  db: Db,
  file: { name: string; bytes: AsyncIterable<Uint8Array> },
  options: ImportOptions,
): Promise<ImportReport> {
  const parsed = await parseRetryList(file.bytes, listLimits());
  const review = await reviewRetryList(db, parsed.rows, { dedupe: options.dedupe });
  return buildReport(file.name, parsed, review);
}

export class ImportChangedError extends Error {
  constructor(readonly report: ImportReport) {
    super(
      "The claims changed since you reviewed the list (some were confirmed, excluded or started elsewhere). " +
        "Read the new report and confirm again.",
    );
  }
}

export class ImportEmptyError extends Error {}

export type ConfirmImport = {
  file: { name: string; bytes: AsyncIterable<Uint8Array> };
  options: ImportOptions;
  reviewedHash: string;
  name: string;
  reason: string;
  ratePerMinute: number;
  user: { id: number; email: string };
  origin?: { ip: string | null; userAgent: string | null };
};

export async function confirmRetryListImport(db: Db, input: ConfirmImport) {
  const parsed = await parseRetryList(input.file.bytes, listLimits());
  const review = await reviewRetryList(db, parsed.rows, { dedupe: input.options.dedupe });
  const report = buildReport(input.file.name, parsed, review);
  if (review.acceptedHash !== input.reviewedHash) throw new ImportChangedError(report);
  if (review.accepted.length === 0)
    throw new ImportEmptyError("No row of this list was accepted, so there is nothing to put in a batch.");

  // One transaction for the batch, its notes and the import's audit record. createBatch opens its
  // own transaction; inside this one it becomes a savepoint, so all of it commits or none.
  return db.transaction(async (tx) => {
    const ids = review.accepted.map((a) => a.claimId);
    const created = await createBatch(
      tx as unknown as Db,
      {
        name: input.name,
        reason: input.reason,
        source: "import",
        user: input.user,
        ratePerMinute: input.ratePerMinute,
        start: false,
        origin: input.origin,
      },
      { where: sql`${savedClaims.id} = any(${idArray(ids)})` },
    );
    // Notes in one statement (createBatch writes notes row by row, too slow for 100,000).
    const noted = review.accepted.filter((a) => a.note);
    if (noted.length) {
      await tx.execute(sql`
        update batch_items i set note = v.note
        from unnest(${idArray(noted.map((a) => a.claimId))}, ${textArray(noted.map((a) => a.note!))})
          as v(claim_id, note)
        where i.batch_id = ${created.batchId} and i.claim_id = v.claim_id`);
    }
    await recordAudit(tx, {
      user: input.user,
      action: "batch.import",
      batchId: created.batchId,
      claimIds: ids,
      claimCount: created.itemCount,
      reason: input.reason,
      details: {
        fileName: input.file.name,
        bytes: parsed.bytes,
        rows: parsed.rows.length,
        counts: review.counts,
        dedupe: input.options.dedupe,
        acceptedHash: review.acceptedHash,
      },
      ...input.origin,
    });
    return { ...created, report };
  });
}
