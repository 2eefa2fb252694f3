import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { cancelPendingItems, getBatchState, transitionBatchState } from "@/db/queries/batches";
import { batches } from "@/db/schema";
import type { AuditAction } from "@/db/schema/audit";
import type { BatchState } from "@/db/schema/enums";
import { enqueueBatchDispatch } from "../jobs/dispatch-batch";
import { rescheduleForRate } from "./dispatch-schedule";

// The batch controls (docs/design.md §6): every transition is one guarded UPDATE … WHERE state IN (…)
// RETURNING in a transaction with its audit record and any dispatcher job, so two people clicking
// at once get one success and one clear refusal, and nothing half-happens.

export class BatchControlError extends Error {}

export type ControlInput = {
  batchId: number;
  user: { id: number; email: string };
  reason?: string | null;
  origin?: { ip: string | null; userAgent: string | null };
};

export const RATE_LIMITS = { min: 1, max: 10_000 } as const;

const STATE_WORDS: Record<BatchState, string> = {
  draft: "a draft",
  queued: "queued",
  running: "running",
  paused: "paused",
  completed: "completed",
  cancelled: "cancelled",
};

async function refuse(db: DbOrTx, batchId: number, verb: string, allowed: BatchState[]): Promise<never> {
  const state = await getBatchState(db, batchId);
  if (!state) throw new BatchControlError(`Batch #${batchId} does not exist.`);
  const need = allowed.map((s) => STATE_WORDS[s]).join(" or ");
  throw new BatchControlError(
    `Batch #${batchId} is ${STATE_WORDS[state]}, so it cannot be ${verb} ` +
      `(only a batch that is ${need} can). Nothing was changed.`,
  );
}

async function audit(
  tx: DbOrTx,
  input: ControlInput,
  action: AuditAction,
  details: Record<string, unknown>,
  claimCount = 0,
  claimIds?: number[],
) {
  await recordAudit(tx, {
    user: input.user,
    action,
    batchId: input.batchId,
    reason: input.reason ?? null,
    details,
    claimCount,
    claimIds,
    ...input.origin,
  });
}

// draft → queued; the dispatcher job is enqueued in the same transaction, so a started batch always
// has a dispatcher and a failed start leaves no stray job.
export async function startBatch(db: Db, input: ControlInput) {
  const from: BatchState[] = ["draft"];
  return db.transaction(async (tx) => {
    const row = await transitionBatchState(tx, input.batchId, from, { state: "queued" });
    if (!row) return refuse(tx, input.batchId, "started", from);
    await enqueueBatchDispatch(tx, input.batchId);
    await audit(
      tx,
      input,
      "batch.start",
      { from: "draft", to: "queued", ratePerMinute: row.ratePerMinute },
      row.itemCount,
    );
    return { state: row.state };
  });
}

// The dispatcher reads the state under a row lock each tick and stops feeding a paused batch;
// claims already handed to the backup flow finish on their own.
export async function pauseBatch(db: Db, input: ControlInput) {
  const from: BatchState[] = ["queued", "running"];
  return db.transaction(async (tx) => {
    const before = await getBatchState(tx, input.batchId);
    const row = await transitionBatchState(tx, input.batchId, from, { state: "paused" });
    if (!row) return refuse(tx, input.batchId, "paused", from);
    await audit(tx, input, "batch.pause", { from: before, to: "paused" });
    return { state: row.state };
  });
}

export async function resumeBatch(db: Db, input: ControlInput) {
  const from: BatchState[] = ["paused"];
  return db.transaction(async (tx) => {
    const row = await transitionBatchState(tx, input.batchId, from, {
      state: "running",
      startedAt: sql`coalesce(started_at, now())`,
      // The schedule starts again from now: the slots the pause skipped are not made up in a burst,
      // and pausing and resuming cannot start a claim before its slot.
      nextStartAt: sql`greatest(next_start_at, now())`,
    });
    if (!row) return refuse(tx, input.batchId, "resumed", from);
    // A dispatcher job still waiting from before the pause makes this a no-op (one per batch).
    await enqueueBatchDispatch(tx, input.batchId);
    await audit(tx, input, "batch.resume", { from: "paused", to: "running" });
    return { state: row.state };
  });
}

// Locking the batch row first waits out a dispatcher tick in progress (it holds that row FOR
// UPDATE), so no item can move from pending to in progress after the cancel commits.
export async function cancelBatch(db: Db, input: ControlInput) {
  const from: BatchState[] = ["draft", "queued", "running", "paused"];
  return db.transaction(async (tx) => {
    const before = await getBatchState(tx, input.batchId);
    const row = await transitionBatchState(tx, input.batchId, from, { state: "cancelled", finishedAt: sql`now()` });
    if (!row) return refuse(tx, input.batchId, "cancelled", from);
    const withdrawn = await cancelPendingItems(
      tx,
      input.batchId,
      `Cancelled by ${input.user.email}${input.reason ? `: ${input.reason}` : ""}`.slice(0, 500),
    );
    await audit(
      tx,
      input,
      "batch.cancel",
      { from: before, to: "cancelled", itemsCancelled: withdrawn.length },
      withdrawn.length,
      withdrawn,
    );
    return { state: row.state, itemsCancelled: withdrawn.length };
  });
}

export async function setBatchRate(db: Db, input: ControlInput & { ratePerMinute: number }) {
  const rate = input.ratePerMinute;
  if (!Number.isInteger(rate) || rate < RATE_LIMITS.min || rate > RATE_LIMITS.max) {
    throw new BatchControlError(
      `The rate must be a whole number of claims per minute ` +
        `from ${RATE_LIMITS.min} to ${RATE_LIMITS.max.toLocaleString("en-US")}.`,
    );
  }
  const from: BatchState[] = ["draft", "queued", "running", "paused"];
  return db.transaction(async (tx) => {
    // Locked, so a dispatcher tick cannot move the schedule between this read and the update.
    const [current] = await tx
      .select({ previous: batches.ratePerMinute, nextStartAt: batches.nextStartAt })
      .from(batches)
      .where(eq(batches.id, input.batchId))
      .for("update");
    const previous = current?.previous ?? null;
    const row = await transitionBatchState(tx, input.batchId, from, {
      ratePerMinute: rate,
      nextStartAt: current ? rescheduleForRate(current.nextStartAt, current.previous, rate) : null,
    });
    if (!row) return refuse(tx, input.batchId, "re-rated", from);
    await audit(tx, input, "batch.rate", { from: previous, to: rate });
    return { ratePerMinute: row.ratePerMinute };
  });
}
