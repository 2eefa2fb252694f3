import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { idArray } from "@/db/bind-array";
import type { Db, DbOrTx } from "@/db/client";
import { batches, batchItems } from "@/db/schema";
import { SKIP_REASON_TEXT } from "../backup/rules";
import { startBackupsInTransaction } from "../backup/start-backup";
import { compressedRate, nextStartAfter, nextTickAt, planDispatch } from "../batches/dispatch-schedule";
import { globalTickAt, planGlobalDispatch, recordGlobalStarts } from "../batches/global-rate";
import { getEnv } from "../env";
import { log } from "../log";
import { inTransaction, senderFor } from "./boss";
import { defineJob } from "./job";

// Feeds a running batch into the backup flow at its rate (claims per minute), so a batch of 40,000
// never floods Benefits Intake. One dispatcher job per batch at a time (stately queue, keyed by
// batch); each tick enqueues the next, at the time the next claim is due, until no item is pending
// or in progress. The batch is then "completed" in the dispatcher's sense: everything was sent
// (lib/batches/batch-phase.ts says whether every item has reached its end state).

export const DISPATCH_TICK_SECONDS = 2;

export const dispatchBatchJob = defineJob({
  queue: { name: "dispatch-batch", policy: "stately", retryLimit: 100, retryDelay: 5, expireInSeconds: 300 },
  payloadSchema: z.object({ batchId: z.number().int().positive() }),
  // Two at a time (different batches: the queue runs one tick of a batch at once), so a tick that
  // never finishes (its worker's connection lost in a way nothing reports) does not hold every other
  // batch, nor the same batch's tick handed back by recoverStaleDispatchers, behind it.
  concurrency: () => 2,
  handler: async (deps, data) =>
    void (await dispatchBatch(deps.db, data.batchId, {
      globalRatePerMinute: getEnv().BENEFITS_INTAKE_MAX_PER_MINUTE,
      timeFactor: getEnv().DISPATCH_TIME_FACTOR,
    })),
});

const SINGLETON_PREFIX = "batch-";
export const dispatchSingletonKey = (batchId: number) => `${SINGLETON_PREFIX}${batchId}`;
export const dispatchSingletonKeySql = (batchId: SQL) => sql`(${SINGLETON_PREFIX}::text || ${batchId})`;

// In the transaction that starts, resumes or ticks the batch: a running batch always has its
// dispatcher, and a start that rolls back leaves no stray one.
export async function enqueueBatchDispatch(tx: DbOrTx, batchId: number, startAfter?: Date) {
  const boss = await senderFor(dispatchBatchJob.queue);
  return boss.send(
    dispatchBatchJob.queue.name,
    { batchId },
    { singletonKey: dispatchSingletonKey(batchId), startAfter, db: inTransaction(tx) },
  );
}

// One tick: under the batch's row lock (which pause and cancel wait on), the claims whose slots
// have come (lib/batches/dispatch-schedule.ts) are handed to the one door into the backup flow, and
// each item records what became of it. A skipped item takes no slot (it never reaches Benefits
// Intake), so the next pending item takes its place, up to SKIP_LOOKAHEAD a tick. With a global cap
// (BENEFITS_INTAKE_MAX_PER_MINUTE) the tick also takes the schedule all batches share, after its
// batch's row, and starts no more than both allow (lib/batches/global-rate.ts). `now` is the
// dispatcher's clock: the tests pass their own. `timeFactor` (DISPATCH_TIME_FACTOR, demos and the
// browser tests) shortens a slow batch's wait between starts (compressedRate says how far).
const SKIP_LOOKAHEAD = 500;

export async function dispatchBatch(
  db: Db,
  batchId: number,
  options: { now?: Date; globalRatePerMinute?: number; timeFactor?: number } = {},
) {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const [batch] = await tx.select().from(batches).where(eq(batches.id, batchId)).for("update");
    if (!batch || (batch.state !== "queued" && batch.state !== "running"))
      return { started: 0, state: batch?.state ?? "missing" };
    if (batch.state === "queued")
      await tx
        .update(batches)
        .set({ state: "running", startedAt: sql`coalesce(${batches.startedAt}, now())` })
        .where(eq(batches.id, batchId));

    const rate = compressedRate(batch.ratePerMinute, options.timeFactor ?? 1, DISPATCH_TICK_SECONDS);
    const plan = planDispatch({
      now,
      nextStartAt: batch.nextStartAt,
      ratePerMinute: rate,
      tickSeconds: DISPATCH_TICK_SECONDS,
    });
    // Only a tick that may start something waits for the shared schedule.
    const global =
      options.globalRatePerMinute && plan.allowance > 0
        ? await planGlobalDispatch(tx, {
            now,
            ratePerMinute: options.globalRatePerMinute,
            tickSeconds: DISPATCH_TICK_SECONDS,
            batchId,
          })
        : null;
    const allowance = Math.min(plan.allowance, global ? global.plan.allowance : plan.allowance);
    let started = 0;
    let examined = 0;
    while (started < allowance && examined < allowance + SKIP_LOOKAHEAD) {
      const taken = await startPendingItems(tx, batch, allowance - started);
      if (taken.examined === 0) break;
      started += taken.started;
      examined += taken.examined;
    }
    const nextStartAt = nextStartAfter(plan, started, rate);
    await tx.update(batches).set({ nextStartAt }).where(eq(batches.id, batchId));
    const globalNextStartAt = global ? await recordGlobalStarts(tx, global, started, batchId) : null;

    const [open] = await tx
      .select({
        pending: sql<number>`count(*) filter (where ${batchItems.state} = 'pending')::int`,
        n: sql<number>`count(*)::int`,
      })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batchId), inArray(batchItems.state, ["pending", "in_progress"])));
    if (open.n === 0) {
      await tx.update(batches).set({ state: "completed", finishedAt: sql`now()` }).where(eq(batches.id, batchId));
      log.info({ batchId }, "batch dispatched: every item sent or settled");
      return { started, state: "completed" as const, nextStartAt };
    }
    // Nothing left to start: look again each tick until the in-flight items have left "in progress".
    // Held back by the cap: look again when the next global slot is near, not each tick.
    let tickAt =
      open.pending > 0
        ? nextTickAt({ now, nextStartAt, ratePerMinute: rate, tickSeconds: DISPATCH_TICK_SECONDS })
        : new Date(now.getTime() + DISPATCH_TICK_SECONDS * 1000);
    if (global && globalNextStartAt && open.pending > 0) {
      const globalAt = globalTickAt(global, {
        now,
        nextStartAt: globalNextStartAt,
        tickSeconds: DISPATCH_TICK_SECONDS,
      });
      if (globalAt > tickAt) tickAt = globalAt;
    }
    await enqueueBatchDispatch(tx, batchId, tickAt);
    return { started, state: "running" as const, nextStartAt, nextTickAt: tickAt };
  });
}

type LockedBatch = typeof batches.$inferSelect;

async function startPendingItems(tx: DbOrTx, batch: LockedBatch, limit: number) {
  const items = await tx
    .select({ id: batchItems.id, claimId: batchItems.claimId })
    .from(batchItems)
    .where(and(eq(batchItems.batchId, batch.id), eq(batchItems.state, "pending")))
    .orderBy(asc(batchItems.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  if (items.length === 0) return { started: 0, examined: 0 };

  const outcomes = await startBackupsInTransaction(
    tx,
    items.map((i) => i.claimId),
    { trigger: "batch", userId: batch.createdByUserId, batchId: batch.id, force: batch.force === 1 },
  );
  const byClaim = new Map(outcomes.map((o) => [o.claimId, o]));
  const startedIds = items.filter((i) => byClaim.get(i.claimId)?.started).map((i) => i.id);
  if (startedIds.length)
    await tx
      .update(batchItems)
      .set({ state: "in_progress", updatedAt: sql`now()` })
      .where(sql`${batchItems.id} = any(${idArray(startedIds)})`);
  for (const item of items) {
    const outcome = byClaim.get(item.claimId);
    if (outcome && !outcome.started) {
      await tx
        .update(batchItems)
        .set({ state: "skipped", message: `Skipped: ${SKIP_REASON_TEXT[outcome.reason]}`, updatedAt: sql`now()` })
        .where(eq(batchItems.id, item.id));
    }
  }
  return { started: startedIds.length, examined: items.length };
}
