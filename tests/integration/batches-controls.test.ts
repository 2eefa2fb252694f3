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
import { recoverStaleDispatchers } from "@/lib/batches/recover-stale-dispatchers";
import { getBoss, QUEUE_SCHEMA } from "@/lib/jobs/boss";
import {
  DISPATCH_TICK_SECONDS,
  dispatchBatch,
  dispatchBatchJob,
  dispatchSingletonKey,
} from "@/lib/jobs/dispatch-batch";
import { createClaimGroups, testVeteran } from "../support/claims-factory";

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
  const ids = (
    await createClaimGroups(
      db,
      Array.from({ length: claims }, () => testVeteran()),
    )
  ).map((c) => c.mainClaimId);
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
  // The dispatcher's clock: each tick is told the time, so a minute of schedule takes no minute.
  const at = (t0: Date, ms: number) => ({ now: new Date(t0.getTime() + ms) });

  it("starts a tick's worth of claims at high rates, and a new rate applies from the next claim", async () => {
    const id = await draftBatch(8, 90); // 90 a minute, 2 s ticks: 3 a tick
    await startBatch(db, { batchId: id, user: triager });
    const t0 = new Date();
    const first = await dispatchBatch(db, id, at(t0, 0));
    expect(first.started).toBe(Math.floor((90 * DISPATCH_TICK_SECONDS) / 60));
    expect((await getBatchItemCounts(db, id)).in_progress).toBe(3);
    // The same instant again: those slots are taken.
    expect((await dispatchBatch(db, id, at(t0, 0))).started).toBe(0);
    await setBatchRate(db, { batchId: id, user: triager, ratePerMinute: 60 }); // 2 a tick
    expect((await dispatchBatch(db, id, at(t0, 2000))).started).toBe(2);
    const counts = await getBatchItemCounts(db, id);
    expect(counts).toMatchObject({ in_progress: 5, pending: 3, total: 8 });
    expect(await stateOf(id)).toBe("running");
  });

  it("starts nothing while paused, and carries on after resume", async () => {
    const id = await draftBatch(4, 60);
    await startBatch(db, { batchId: id, user: triager });
    const t0 = new Date();
    await dispatchBatch(db, id, at(t0, 0));
    await pauseBatch(db, { batchId: id, user: triager });
    const paused = await dispatchBatch(db, id, at(t0, 2000));
    expect(paused).toEqual({ started: 0, state: "paused" });
    expect(await getBatchItemCounts(db, id)).toMatchObject({ in_progress: 2, pending: 2 });
    const progress = await getBatchProgress(db, id);
    expect(progress).toMatchObject({ state: "paused", etaSeconds: null });
    await resumeBatch(db, { batchId: id, user: triager });
    expect((await dispatchBatch(db, id, at(t0, 2000))).started).toBe(2);
    expect(await getBatchItemCounts(db, id)).toMatchObject({ in_progress: 4, pending: 0 });
  });

  it("cancel withdraws pending items, leaves in-flight ones alone, and stops the dispatcher", async () => {
    const id = await draftBatch(5, 60);
    await startBatch(db, { batchId: id, user: triager });
    await dispatchBatch(db, id); // 2 in progress (60 a minute: the claims due in the first 2 s tick)
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

// The rate as a schedule (lib/batches/dispatch-schedule.ts), with the real dispatcher and database:
// ticks run when the dispatcher asks, each a little late as the queue's polling makes them, and the
// starts are checked against the schedule's arithmetic, claim by claim.
describe("the rate limit holds at every rate", () => {
  const LATENESS_MS = [0, 700, 1_900, 300]; // how late each tick runs after the time it asked for

  // Runs every tick the dispatcher asks for at a time up to spanMs after t0.
  async function runFor(batchId: number, t0: number, spanMs: number) {
    const starts: { at: number; n: number }[] = [];
    let asked = t0;
    for (let tick = 0; asked - t0 <= spanMs; tick++) {
      const now = asked + (tick === 0 ? 0 : LATENESS_MS[tick % LATENESS_MS.length]);
      const result = await dispatchBatch(db, batchId, { now: new Date(now) });
      if (result.started) starts.push({ at: now - t0, n: result.started });
      if (!("nextTickAt" in result) || !result.nextTickAt) break;
      asked = result.nextTickAt.getTime();
    }
    return starts;
  }

  for (const rate of [1, 2, 30]) {
    it(`at ${rate} a minute: one claim a slot, never before its slot, late only by the tick's lateness`, async () => {
      const interval = 60_000 / rate;
      const span = 3 * 60_000;
      const id = await draftBatch(Math.floor(span / interval) + 4, rate);
      await startBatch(db, { batchId: id, user: triager });
      const t0 = Date.now();
      const starts = await runFor(id, t0, span);
      expect(starts.every((s) => s.n === 1)).toBe(true);
      starts.forEach((s, k) => {
        expect(s.at).toBeGreaterThanOrEqual(k * interval);
        expect(s.at).toBeLessThanOrEqual(k * interval + Math.max(...LATENESS_MS));
      });
      // Every slot in the span was used: the rate holds over time, not only as a ceiling.
      expect(starts).toHaveLength(Math.floor(span / interval) + 1);
      expect((await getBatchItemCounts(db, id)).in_progress).toBe(starts.length);
    });
  }

  it("at 600 a minute: a tick starts the claims due before the next tick, and over a minute 600", async () => {
    const rate = 600;
    const id = await draftBatch(640, rate);
    await startBatch(db, { batchId: id, user: triager });
    const t0 = Date.now();
    const starts = await runFor(id, t0, 60_000);
    let total = 0;
    for (const s of starts) {
      total += s.n;
      // By each tick: every slot before the next tick (t + 2 s), and no more.
      expect(total).toBe(Math.ceil(((s.at + DISPATCH_TICK_SECONDS * 1000) * rate) / 60_000));
    }
    // Every slot of the minute was used (the ticks above show none came early).
    expect(total).toBeGreaterThanOrEqual(rate);
  });

  it("a dispatcher held up for ten minutes makes up at most two ticks, not the missed slots", async () => {
    const id = await draftBatch(12, 30);
    await startBatch(db, { batchId: id, user: triager });
    const t0 = Date.now();
    expect((await dispatchBatch(db, id, { now: new Date(t0) })).started).toBe(1);
    const late = await dispatchBatch(db, id, { now: new Date(t0 + 600_000) });
    expect(late.started).toBe(1 + (2 * DISPATCH_TICK_SECONDS * 30) / 60); // the slot due, and two ticks' worth
    expect((await dispatchBatch(db, id, { now: new Date(t0 + 600_000) })).started).toBe(0);
  });
});

// The dispatcher's "completed" means every claim was sent; the batch is finished only when every
// item has its end state (lib/batches/batch-phase.ts).
describe("a sent batch is not a finished one", () => {
  it("reads 'sent' while an item waits for its end state, and completed, final, with a time, after", async () => {
    const id = await draftBatch(2, 600);
    await startBatch(db, { batchId: id, user: triager });
    await dispatchBatch(db, id);
    await db.update(batchItems).set({ state: "submitted" }).where(eq(batchItems.batchId, id));
    expect((await dispatchBatch(db, id)).state).toBe("completed");
    const sent = await getBatchProgress(db, id);
    expect(sent).toMatchObject({ state: "completed", phase: "sent", final: false, settledAt: null });
    expect(sent?.finishedAt).not.toBeNull();

    await db.update(batchItems).set({ state: "confirmed" }).where(eq(batchItems.batchId, id));
    const finished = await getBatchProgress(db, id);
    expect(finished).toMatchObject({ state: "completed", phase: "completed", final: true });
    expect(finished?.settledAt).not.toBeNull();

    const draft = await getBatchProgress(db, await draftBatch(1));
    expect(draft).toMatchObject({ phase: "draft", final: false });
  });
});

describe("a dispatcher lost by its worker", () => {
  // What a worker leaves when PostgreSQL restarts as it fetches the job: "active" in the queue, run
  // by nobody. Aged past any threshold a live dispatcher could reach.
  const loseDispatcher = (id: number) =>
    db.execute(sql`update ${sql.identifier(QUEUE_SCHEMA)}.job
      set state = 'active', started_on = now() - interval '2 hours'
      where name = ${dispatchBatchJob.queue.name} and singleton_key = ${dispatchSingletonKey(id)} and state = 'created'`);
  const liveStates = async (id: number) =>
    (
      (await db.execute(
        sql`select state from ${sql.identifier(QUEUE_SCHEMA)}.job
          where name = ${dispatchBatchJob.queue.name} and singleton_key = ${dispatchSingletonKey(id)}
            and state in ('created', 'retry', 'active') order by state`,
      )) as unknown as { state: string }[]
    ).map((r) => r.state);
  const recoverFrom = (orphanAfterSeconds: number) => recoverStaleDispatchers({ db, orphanAfterSeconds });

  it("is handed back to the queue, so the batch goes on; one a tick holds, or a fresh one, is left alone", async () => {
    const id = await draftBatch(2);
    await startBatch(db, { batchId: id, user: triager });
    await loseDispatcher(id);
    expect(await liveStates(id)).toEqual(["active"]);

    // A tick holding the batch's row: merely slow, not lost.
    await db.transaction(async (tx) => {
      await tx.execute(sql`select id from ${batches} where id = ${id} for update`);
      await recoverFrom(3_600);
    });
    expect(await liveStates(id)).toEqual(["active"]);
    // Active for less than the threshold: left alone too.
    await recoverFrom(3 * 3_600);
    expect(await liveStates(id)).toEqual(["active"]);

    await recoverFrom(3_600);
    const states = await liveStates(id);
    expect(states).not.toContain("active");
    expect(states.length).toBeGreaterThan(0);
    // Its next tick starts the batch.
    expect(await dispatchBatch(db, id)).toMatchObject({ started: 2 });
    expect(await stateOf(id)).toBe("running");
  });
});
