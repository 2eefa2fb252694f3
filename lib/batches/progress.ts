import type { DbOrTx } from "@/db/client";
import {
  getBatch,
  getBatchItemCounts,
  getBatchSettledAt,
  getBatchThroughput,
  getRecentBatchFailures,
  type ItemCounts,
} from "@/db/queries/batches";
import type { BatchState } from "@/db/schema/enums";
import { getEnv } from "../env";
import { type BatchPhase, batchPhase, isFinished } from "./batch-phase";

// A batch's live progress, as the batch page first renders it and as its poller refreshes it.

export const THROUGHPUT_WINDOW_MINUTES = 5;

export type BatchProgress = {
  batchId: number;
  state: BatchState;
  phase: BatchPhase; // what the pages show: "completed" only when every item has its end state
  final: boolean; // nothing will change any more
  ratePerMinute: number;
  counts: ItemCounts;
  done: number; // items that reached an outcome
  percent: number;
  throughputPerMinute: number | null; // null: not enough history to say
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null; // the dispatcher's end: every claim sent, or the batch cancelled
  settledAt: string | null; // when the last item reached its end state, once all have
  recentFailures: { id: number; claimId: number; state: string; message: string | null; updatedAt: string }[];
  asOf: string;
};

export function doneCount(c: ItemCounts) {
  return c.submitted + c.confirmed + c.failed + c.skipped + c.cancelled;
}

// The pace over the last few minutes (or since the start, when that is shorter); the estimate
// never assumes a pace above the batch's own rate limit.
export function estimate(input: {
  state: BatchState;
  counts: ItemCounts;
  recentDone: number;
  startedAt: Date | null;
  ratePerMinute: number;
  now: Date;
}) {
  const { counts, startedAt, now } = input;
  const remaining = counts.pending + counts.in_progress;
  const runningFor = startedAt ? (now.getTime() - startedAt.getTime()) / 60_000 : 0;
  const window = Math.min(THROUGHPUT_WINDOW_MINUTES, runningFor);
  const finished = input.state === "completed" || (input.state === "cancelled" && counts.in_progress === 0);
  const throughput = !finished && window >= 0.25 ? input.recentDone / window : null;
  if (remaining === 0 || finished)
    return { throughputPerMinute: throughput, etaSeconds: input.state === "cancelled" ? null : 0 };
  if (input.state === "paused" || input.state === "draft") return { throughputPerMinute: throughput, etaSeconds: null };
  const pace = Math.min(throughput && throughput > 0 ? throughput : input.ratePerMinute, input.ratePerMinute);
  return { throughputPerMinute: throughput, etaSeconds: Math.round((remaining / pace) * 60) };
}

export async function getBatchProgress(db: DbOrTx, batchId: number): Promise<BatchProgress | null> {
  const batch = await getBatch(db, batchId);
  if (!batch) return null;
  // A completed batch has no pace to measure: skip that scan (the console batches are large).
  const [counts, recentDone, failures] = await Promise.all([
    getBatchItemCounts(db, batchId),
    batch.state === "completed" ? 0 : getBatchThroughput(db, batchId, THROUGHPUT_WINDOW_MINUTES),
    getRecentBatchFailures(db, batchId, 10),
  ]);
  const phase = batchPhase(batch.state, counts);
  const final = isFinished(phase, counts);
  const settledAt = final ? await getBatchSettledAt(db, batchId) : null;
  const now = new Date();
  const done = doneCount(counts);
  const { throughputPerMinute, etaSeconds } = estimate({
    state: batch.state,
    counts,
    recentDone,
    startedAt: batch.startedAt,
    // The global cap (BENEFITS_INTAKE_MAX_PER_MINUTE) bounds every batch's pace too.
    ratePerMinute: Math.min(batch.ratePerMinute, getEnv().BENEFITS_INTAKE_MAX_PER_MINUTE ?? batch.ratePerMinute),
    now,
  });
  return {
    batchId,
    state: batch.state,
    phase,
    final,
    ratePerMinute: batch.ratePerMinute,
    counts,
    done,
    percent: counts.total ? Math.floor((done / counts.total) * 1000) / 10 : 0,
    throughputPerMinute: throughputPerMinute === null ? null : Math.round(throughputPerMinute * 10) / 10,
    etaSeconds,
    startedAt: batch.startedAt?.toISOString() ?? null,
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    settledAt: settledAt?.toISOString() ?? null,
    recentFailures: failures.map((f) => ({
      id: Number(f.id),
      claimId: Number(f.claimId),
      state: f.state,
      message: f.message,
      updatedAt: f.updatedAt.toISOString(),
    })),
    asOf: now.toISOString(),
  };
}
