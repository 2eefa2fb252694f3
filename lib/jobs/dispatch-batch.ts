import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { idArray } from "@/db/bind-array";
import type { Db, DbOrTx } from "@/db/client";
import { batches, batchItems } from "@/db/schema";
import { SKIP_REASON_TEXT } from "../backup/rules";
import { startBackupsInTransaction } from "../backup/start-backup";
import { log } from "../log";
import { inTransaction, later, senderFor } from "./boss";
import { defineJob } from "./job";

// Feeds a running batch into the backup flow at its rate (claims per minute), in small ticks, so a
// batch of 40,000 never floods Benefits Intake. One dispatcher job per batch at a time (stately
// queue, keyed by batch); each tick enqueues the next until no item is pending or in progress.

export const DISPATCH_TICK_SECONDS = 2;

export const dispatchBatchJob = defineJob({
  queue: { name: "dispatch-batch", policy: "stately", retryLimit: 100, retryDelay: 5, expireInSeconds: 300 },
  payloadSchema: z.object({ batchId: z.number().int().positive() }),
  concurrency: () => 1,
  handler: async (deps, data) => void (await dispatchBatch(deps.db, data.batchId)),
});

export const dispatchSingletonKey = (batchId: number) => `batch-${batchId}`;

// In the transaction that starts, resumes or ticks the batch: a running batch always has its
// dispatcher, and a start that rolls back leaves no stray one.
export async function enqueueBatchDispatch(tx: DbOrTx, batchId: number, startAfterSeconds = 0) {
  const boss = await senderFor(dispatchBatchJob.queue);
  return boss.send(
    dispatchBatchJob.queue.name,
    { batchId },
    { singletonKey: dispatchSingletonKey(batchId), startAfter: later(startAfterSeconds), db: inTransaction(tx) },
  );
}

// One tick: under the batch's row lock (which pause and cancel wait on), the next items are handed
// to the one door into the backup flow, and each item records what became of it.
export async function dispatchBatch(db: Db, batchId: number) {
  return db.transaction(async (tx) => {
    const [batch] = await tx.select().from(batches).where(eq(batches.id, batchId)).for("update");
    if (!batch || (batch.state !== "queued" && batch.state !== "running"))
      return { started: 0, state: batch?.state ?? "missing" };
    if (batch.state === "queued")
      await tx
        .update(batches)
        .set({ state: "running", startedAt: sql`coalesce(${batches.startedAt}, now())` })
        .where(eq(batches.id, batchId));

    const perTick = Math.max(1, Math.floor((batch.ratePerMinute * DISPATCH_TICK_SECONDS) / 60));
    const items = await tx
      .select({ id: batchItems.id, claimId: batchItems.claimId })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batchId), eq(batchItems.state, "pending")))
      .orderBy(asc(batchItems.id))
      .limit(perTick)
      .for("update", { skipLocked: true });

    const outcomes = await startBackupsInTransaction(
      tx,
      items.map((i) => i.claimId),
      { trigger: "batch", userId: batch.createdByUserId, batchId, force: batch.force === 1 },
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
    const started = startedIds.length;

    const [open] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batchId), inArray(batchItems.state, ["pending", "in_progress"])));
    if (open.n === 0) {
      await tx.update(batches).set({ state: "completed", finishedAt: sql`now()` }).where(eq(batches.id, batchId));
      log.info({ batchId }, "batch completed");
      return { started, state: "completed" };
    }
    await enqueueBatchDispatch(tx, batchId, DISPATCH_TICK_SECONDS);
    return { started, state: "running" };
  });
}
