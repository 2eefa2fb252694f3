import { inArray } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { getBatchItemCounts } from "@/db/queries/batches";
import { batches, dispatchBudgets, users } from "@/db/schema";
import { startBatch } from "@/lib/batches/controls";
import { createBatch } from "@/lib/batches/create-batch";
import { getBoss } from "@/lib/jobs/boss";
import { DISPATCH_TICK_SECONDS, dispatchBatch } from "@/lib/jobs/dispatch-batch";
import { createClaimGroups, testVeteran } from "../support/claims-factory";

// The global cap (BENEFITS_INTAKE_MAX_PER_MINUTE, lib/batches/global-rate.ts): two batches, each
// allowed far more than the cap, dispatched by two "workers" (each its own connection pool, their
// ticks run at the same moments and race for the shared schedule in PostgreSQL). The dispatcher is
// told the time, so minutes of schedule take seconds; the starts across both batches are checked
// for their spacing, not only counted. No worker runs, so started items stay in progress.

const url = process.env.DATABASE_URL!;
const { db, close } = createDb(url, { max: 4 });
const workers = [createDb(url, { max: 3 }), createDb(url, { max: 3 })];
let boss: PgBoss;
let triager: { id: number; email: string };

beforeAll(async () => {
  boss = await getBoss();
  [triager] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, ["triager@example.com"]));
});
beforeEach(async () => {
  // Batches left running (by earlier cases or files) would be "waiting" for the cap, but nothing
  // ticks them; and each case starts the shared schedule afresh at its own clock.
  await db
    .update(batches)
    .set({ state: "paused" })
    .where(inArray(batches.state, ["queued", "running"]));
  await db.delete(dispatchBudgets);
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true }).catch(() => {});
  await Promise.all(workers.map((w) => w.close()));
  await close();
});

async function startedBatch(claims: number, ratePerMinute: number) {
  const ids = (
    await createClaimGroups(
      db,
      Array.from({ length: claims }, () => testVeteran()),
    )
  ).map((c) => c.mainClaimId);
  const { batchId } = await createBatch(
    db,
    {
      name: `global cap ${Date.now()}`,
      reason: "test",
      source: "selection",
      user: triager,
      ratePerMinute,
      start: false,
    },
    { claimIds: ids },
  );
  await startBatch(db, { batchId, user: triager });
  return batchId;
}

type Start = { at: number; batchId: number; n: number };
const LATENESS_MS = [0, 700, 1_900, 300]; // how late a tick runs after the time it asked for
const MAX_LATENESS = Math.max(...LATENESS_MS);
const TICK_MS = DISPATCH_TICK_SECONDS * 1000;

// Runs every tick the batches ask for, up to spanMs after t0. Ticks due within one tick of the
// earliest run together, each batch on its own worker's pool, as two worker processes would.
async function runTogether(batchIds: number[], cap: number, t0: number, spanMs: number) {
  const asked = new Map(batchIds.map((id) => [id, t0]));
  const ticks = new Map(batchIds.map((id) => [id, 0]));
  const starts: Start[] = [];
  for (;;) {
    const first = Math.min(...asked.values());
    if (asked.size === 0 || first - t0 > spanMs) break;
    const due = [...asked].filter(([, at]) => at <= first + TICK_MS);
    await Promise.all(
      due.map(async ([batchId, at]) => {
        const k = ticks.get(batchId)!;
        ticks.set(batchId, k + 1);
        const w = batchIds.indexOf(batchId);
        const now = at + (k === 0 ? 0 : LATENESS_MS[(k + w) % LATENESS_MS.length]);
        const result = await dispatchBatch(workers[w % workers.length].db, batchId, {
          now: new Date(now),
          globalRatePerMinute: cap,
        });
        if (result.started) starts.push({ at: now - t0, batchId, n: result.started });
        if ("nextTickAt" in result && result.nextTickAt) asked.set(batchId, result.nextTickAt.getTime());
        else asked.delete(batchId);
      }),
    );
  }
  return starts.sort((a, b) => a.at - b.at);
}

const gaps = (starts: Start[]) => starts.slice(1).map((s, i) => s.at - starts[i].at);
const countFor = (starts: Start[], batchId: number) =>
  starts.filter((s) => s.batchId === batchId).reduce((n, s) => n + s.n, 0);

describe("a global cap across running batches", () => {
  it("at 6 a minute, two batches at 600 a minute each start one claim at a time, 10 s apart across both", async () => {
    const cap = 6;
    const interval = 60_000 / cap;
    const span = 3 * 60_000;
    const a = await startedBatch(30, 600);
    const b = await startedBatch(30, 600);
    const t0 = Date.now();
    const starts = await runTogether([a, b], cap, t0, span);

    expect(starts.every((s) => s.n === 1)).toBe(true);
    // Never two starts closer than the cap's interval, whichever batch and worker made them; and
    // never later than a tick's lateness after the slot came (the cap is kept, not undershot).
    for (const gap of gaps(starts)) {
      expect(gap).toBeGreaterThanOrEqual(interval);
      expect(gap).toBeLessThanOrEqual(interval + MAX_LATENESS);
    }
    expect(starts.length).toBeGreaterThanOrEqual(Math.floor(span / (interval + MAX_LATENESS)) + 1);
    expect(starts.length).toBeLessThanOrEqual(Math.floor(span / interval) + 1);
    // The batches take turns: neither waits while the other takes every slot.
    expect(Math.abs(countFor(starts, a) - countFor(starts, b))).toBeLessThanOrEqual(1);
    const counts = [await getBatchItemCounts(db, a), await getBatchItemCounts(db, b)];
    expect(counts[0].in_progress + counts[1].in_progress).toBe(starts.length);
  });

  it("at 120 a minute (several a tick), the two batches together start no more than the cap's schedule allows", async () => {
    const cap = 120;
    const span = 60_000;
    const a = await startedBatch(160, 600);
    const b = await startedBatch(160, 600);
    const t0 = Date.now();
    const starts = await runTogether([a, b], cap, t0, span);

    // By each start, no more than the slots up to the next tick (the rule a batch's own rate
    // follows), counted across both batches and both workers.
    let total = 0;
    for (const s of starts) {
      total += s.n;
      expect(total).toBeLessThanOrEqual(Math.ceil(((s.at + TICK_MS) * cap) / 60_000));
    }
    // Over the minute: the cap (plus the tick the schedule runs ahead), not 2 × 600.
    const inMinute = starts.filter((s) => s.at < 60_000).reduce((n, s) => n + s.n, 0);
    expect(inMinute).toBeLessThanOrEqual(cap + (cap * TICK_MS) / 60_000);
    expect(inMinute).toBeGreaterThanOrEqual(cap * 0.8); // late ticks lose slots; not most of them
    expect(countFor(starts, a)).toBeGreaterThanOrEqual(inMinute * 0.3);
    expect(countFor(starts, b)).toBeGreaterThanOrEqual(inMinute * 0.3);
  });

  it("one batch alone gets every slot of the cap, and without a cap keeps its own rate", async () => {
    const cap = 6;
    const a = await startedBatch(12, 600);
    const t0 = Date.now();
    const starts = await runTogether([a], cap, t0, 60_000);
    expect(starts.every((s) => s.n === 1)).toBe(true);
    for (const gap of gaps(starts)) {
      expect(gap).toBeGreaterThanOrEqual(10_000);
      expect(gap).toBeLessThanOrEqual(10_000 + MAX_LATENESS);
    }
    const uncapped = await startedBatch(25, 600);
    const first = await dispatchBatch(db, uncapped, { now: new Date(t0) });
    expect(first.started).toBe(20); // 600 a minute: the claims due in the first 2 s tick
    const [row] = await db.select().from(dispatchBudgets);
    expect(row.lastBatchId).toBe(a); // the uncapped tick did not touch the shared schedule
  });
});
