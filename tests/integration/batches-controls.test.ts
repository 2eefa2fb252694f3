import { and, eq, inArray, sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { getBatchItemCounts } from "@/db/queries/batches";
import { auditEvents, batches, batchItems, users } from "@/db/schema";
import {
  BatchControlError,
  cancelBatch,
  pauseBatch,
  resumeBatch,
  setBatchRate,
  startBatch,
} from "@/lib/batches/controls";
import { createBatch } from "@/lib/batches/create-batch";
import { getBatchProgress } from "@/lib/batches/progress";
import { getBoss, QUEUE_SCHEMA } from "@/lib/jobs/boss";
import {
  DISPATCH_TICK_SECONDS,
  dispatchBatch,
  dispatchBatchJob,
  dispatchSingletonKey,
} from "@/lib/jobs/dispatch-batch";
import { createClaimGroup } from "../support/claims-factory";

// Batch controls against the real database and queue: guarded transitions (a double start is
// refused), each audited, and the dispatcher honouring pause, cancel and the rate. No worker runs
// here, so started items stay in progress: exactly what the assertions need.

const url = process.env.DATABASE_URL!;
const { db, close } = createDb(url, { max: 6 });
let boss: PgBoss;
let triager: { id: number; email: string };
let admin: { id: number; email: string };

beforeAll(async () => {
  boss = await getBoss(); // creates pg-boss's schema; the dispatcher's queue comes with its first job
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, ["triager@example.com", "admin@example.com"]));
  triager = rows.find((r) => r.email.startsWith("triager"))!;
  admin = rows.find((r) => r.email.startsWith("admin"))!;
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});

async function draftBatch(claims: number, ratePerMinute = 600) {
  const ids: number[] = [];
  for (let i = 0; i < claims; i++) ids.push((await createClaimGroup(db)).mainClaimId);
  const { batchId } = await createBatch(
    db,
    { name: `test ${Date.now()}`, reason: "test", source: "selection", user: triager, ratePerMinute, start: false },
    { claimIds: ids },
  );
  return batchId;
}

const stateOf = async (id: number) =>
  (await db.select({ s: batches.state }).from(batches).where(eq(batches.id, id)))[0].s;
const auditsOf = async (id: number) =>
  (
    await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.batchId, id))
      .orderBy(auditEvents.id)
  ).map((a) => a.action);
const dispatchJobs = async (id: number) =>
  Number(
    (
      (await db.execute(
        sql`select count(*)::int as n from ${sql.identifier(QUEUE_SCHEMA)}.job
          where name = ${dispatchBatchJob.queue.name} and singleton_key = ${dispatchSingletonKey(id)}`,
      )) as unknown as { n: number }[]
    )[0].n,
  );

describe("batch state transitions", () => {
  it("starts a draft once, enqueueing its dispatcher in the same transaction; a second start is refused", async () => {
    const id = await draftBatch(2);
    expect(await dispatchJobs(id)).toBe(0);
    const results = await Promise.allSettled([
      startBatch(db, { batchId: id, user: triager }),
      startBatch(db, { batchId: id, user: triager }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(BatchControlError);
    expect(refused.reason.message).toMatch(/is queued, so it cannot be started/);
    expect(await stateOf(id)).toBe("queued");
    expect(await dispatchJobs(id)).toBe(1);
    expect((await auditsOf(id)).filter((a) => a === "batch.start")).toHaveLength(1);
  });

  it("pauses, resumes and cancels, refusing every transition the state does not allow", async () => {
    const id = await draftBatch(1);
    const user = triager;
    await expect(pauseBatch(db, { batchId: id, user })).rejects.toThrow(/is a draft, so it cannot be paused/);
    await expect(resumeBatch(db, { batchId: id, user })).rejects.toThrow(/cannot be resumed/);
    await startBatch(db, { batchId: id, user });
    await pauseBatch(db, { batchId: id, user, reason: "lunch" });
    expect(await stateOf(id)).toBe("paused");
    await expect(pauseBatch(db, { batchId: id, user })).rejects.toThrow(/is paused, so it cannot be paused/);
    await resumeBatch(db, { batchId: id, user });
    expect(await stateOf(id)).toBe("running");
    await cancelBatch(db, { batchId: id, user: admin, reason: "wrong list" });
    expect(await stateOf(id)).toBe("cancelled");
    for (const attempt of [startBatch, pauseBatch, resumeBatch, cancelBatch]) {
      await expect(attempt(db, { batchId: id, user })).rejects.toBeInstanceOf(BatchControlError);
    }
    await expect(setBatchRate(db, { batchId: id, user, ratePerMinute: 10 })).rejects.toThrow(/is cancelled/);
    await expect(startBatch(db, { batchId: 987_654_321, user })).rejects.toThrow(/does not exist/);
    expect(await auditsOf(id)).toEqual(["batch.create", "batch.start", "batch.pause", "batch.resume", "batch.cancel"]);
    const [pause] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.batchId, id), eq(auditEvents.action, "batch.pause")));
    expect(pause).toMatchObject({ reason: "lunch", userEmail: "triager@example.com" });
    expect(pause.details).toMatchObject({ from: "queued", to: "paused" });
  });

  it("changes the rate within 1–10,000 claims a minute, audited", async () => {
    const id = await draftBatch(1);
    for (const bad of [0, 10_001, 1.5, Number.NaN]) {
      await expect(setBatchRate(db, { batchId: id, user: triager, ratePerMinute: bad })).rejects.toThrow(
        /whole number of claims per minute from 1 to 10,000/,
      );
    }
    await setBatchRate(db, { batchId: id, user: triager, ratePerMinute: 10_000 });
    const [row] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.batchId, id), eq(auditEvents.action, "batch.rate")));
    expect(row.details).toEqual({ from: 600, to: 10_000 });
  });
});

describe("the dispatcher under the controls", () => {
  it("starts at most rate × tick / 60 claims a tick", async () => {
    const id = await draftBatch(8, 90); // 90 a minute, 2 s ticks: 3 a tick
    await startBatch(db, { batchId: id, user: triager });
    const first = await dispatchBatch(db, id);
    expect(first.started).toBe(Math.floor((90 * DISPATCH_TICK_SECONDS) / 60));
    expect((await getBatchItemCounts(db, id)).in_progress).toBe(3);
    await setBatchRate(db, { batchId: id, user: triager, ratePerMinute: 60 }); // 2 a tick
    expect((await dispatchBatch(db, id)).started).toBe(2);
    const counts = await getBatchItemCounts(db, id);
    expect(counts).toMatchObject({ in_progress: 5, pending: 3, total: 8 });
    expect(await stateOf(id)).toBe("running");
  });

  it("starts nothing while paused, and carries on after resume", async () => {
    const id = await draftBatch(4, 60);
    await startBatch(db, { batchId: id, user: triager });
    await dispatchBatch(db, id);
    await pauseBatch(db, { batchId: id, user: triager });
    const paused = await dispatchBatch(db, id);
    expect(paused).toEqual({ started: 0, state: "paused" });
    expect(await getBatchItemCounts(db, id)).toMatchObject({ in_progress: 2, pending: 2 });
    const progress = await getBatchProgress(db, id);
    expect(progress).toMatchObject({ state: "paused", etaSeconds: null });
    await resumeBatch(db, { batchId: id, user: triager });
    expect((await dispatchBatch(db, id)).started).toBe(2);
    expect(await getBatchItemCounts(db, id)).toMatchObject({ in_progress: 4, pending: 0 });
  });

  it("cancel withdraws pending items, leaves in-flight ones alone, and stops the dispatcher", async () => {
    const id = await draftBatch(5, 60);
    await startBatch(db, { batchId: id, user: triager });
    await dispatchBatch(db, id); // 2 in progress
    const result = await cancelBatch(db, { batchId: id, user: admin, reason: "stop" });
    expect(result.itemsCancelled).toBe(3);
    expect(await getBatchItemCounts(db, id)).toMatchObject({ in_progress: 2, pending: 0, cancelled: 3 });
    expect(await dispatchBatch(db, id)).toEqual({ started: 0, state: "cancelled" });
    const cancelled = await db
      .select({ message: batchItems.message })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, id), eq(batchItems.state, "cancelled")));
    expect(cancelled.every((c) => c.message === "Cancelled by admin@example.com: stop")).toBe(true);
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.batchId, id), eq(auditEvents.action, "batch.cancel")));
    expect(audit.claimCount).toBe(3);
  });
});
