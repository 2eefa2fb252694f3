import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { createBatch } from "@/lib/batches/create-batch";
import { compressedRate } from "@/lib/batches/dispatch-schedule";
import { QUEUE_SCHEMA } from "@/lib/jobs/boss";
import { DISPATCH_TICK_SECONDS } from "@/lib/jobs/dispatch-batch";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { createClaimGroups, testVeteran } from "../support/claims-factory";

// The rate limit with a real worker (pg-boss) on the real clock, at 1, 2, 30 and 600 a minute: the
// spacing of the starts is measured, not only their count. A start's time is when its backup job was
// queued, in the dispatcher tick's transaction (so one tick's starts share it). The dispatcher's clock
// is compressed ten times (DISPATCH_TIME_FACTOR), so 1 and 2 a minute are a start every 6 and 3 s;
// 30 and 600 a minute (one claim a tick and more) are not compressed at all.
// batches-controls.test.ts checks the same schedule on a clock the test gives the dispatcher.

const FACTOR = 10;
process.env.DISPATCH_TIME_FACTOR = String(FACTOR); // read by the dispatcher's job handler
delete process.env.BENEFITS_INTAKE_MAX_PER_MINUTE; // no global cap: each batch's own rate

const TICK_MS = DISPATCH_TICK_SECONDS * 1000;
// A job's queue time is the dispatcher's transaction's start, a moment after it read its clock.
const SKEW_MS = 250;
// How late a tick may run after the time it asked for: the worker polls its queue every 0.5 s, and
// the machine is loaded. Under two ticks, so no slot is lost and the upper bounds below hold.
const LATE_MS = 2_000;

let h: BackupHarness;
let triager: { id: number; email: string };

beforeAll(async () => {
  h = await startBackupHarness({ concurrency: 4 });
  // Batches other files left running would tick in this worker too, and a cap's schedule is not ours.
  await h.db.execute(sql`update batches set state = 'paused' where state in ('queued', 'running')`);
  await h.startWorkers(1);
  [triager] = await h.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(sql`${users.email} = 'triager@example.com'`);
});
afterAll(async () => {
  await h?.stop();
});

type Tick = { at: number; n: number }; // ms after the first start, claims started

// Starts a batch of `claims` at `rate` and returns its starts, grouped by tick, once all have started.
async function startsOf(claims: number, rate: number): Promise<Tick[]> {
  const ids = (
    await createClaimGroups(
      h.db,
      Array.from({ length: claims }, () => testVeteran()),
    )
  ).map((g) => g.mainClaimId);
  const { batchId } = await createBatch(
    h.db,
    {
      name: `spacing ${rate}/min`,
      reason: "test",
      source: "selection",
      user: triager,
      ratePerMinute: rate,
      start: true,
    },
    { claimIds: ids },
  );
  const ticks = await waitFor(
    `${claims} starts at ${rate} a minute`,
    async () => {
      const rows = Array.from(
        await h.db.execute<{ at: number; n: number }>(sql`
          select (extract(epoch from created_on) * 1000)::float8 as at, count(*)::int as n
          from ${sql.identifier(QUEUE_SCHEMA)}.job
          where name = 'backup-claim' and (data->>'batchId')::bigint = ${batchId}
            and (data->>'retryNumber')::int = 0
          group by created_on order by created_on`),
      );
      const started = rows.reduce((n, r) => n + Number(r.n), 0);
      return started >= claims ? rows.map((r) => ({ at: Number(r.at), n: Number(r.n) })) : null;
    },
    120_000,
  );
  await h.db.execute(sql`update batches set state = 'cancelled' where id = ${batchId}`);
  return ticks.map((t) => ({ at: t.at - ticks[0].at, n: t.n }));
}

const gapsOf = (ticks: Tick[]) => ticks.slice(1).map((t, i) => t.at - ticks[i].at);

describe("the compressed clock", () => {
  it("shortens only a batch slower than one claim a tick, and never below a tick", () => {
    expect(compressedRate(1, FACTOR, DISPATCH_TICK_SECONDS)).toBe(10);
    expect(compressedRate(2, FACTOR, DISPATCH_TICK_SECONDS)).toBe(20);
    expect(compressedRate(10, FACTOR, DISPATCH_TICK_SECONDS)).toBe(30); // one a tick, not 100 a minute
    expect(compressedRate(30, FACTOR, DISPATCH_TICK_SECONDS)).toBe(30);
    expect(compressedRate(600, FACTOR, DISPATCH_TICK_SECONDS)).toBe(600);
    expect(compressedRate(1, 1, DISPATCH_TICK_SECONDS)).toBe(1);
  });
});

describe("the rate limit holds at every rate, measured by the spacing of the starts", () => {
  // At up to one claim a tick: one claim a start; the k-th start never before k intervals after the
  // first (to the skew of the queue time), and late only by a tick's lateness.
  for (const [rate, claims] of [
    [1, 4],
    [2, 6],
    [30, 8],
  ] as const) {
    const interval = 60_000 / compressedRate(rate, FACTOR, DISPATCH_TICK_SECONDS);
    const compressed = interval < 60_000 / rate ? `60 s / ${rate}, compressed ${FACTOR} times` : "not compressed";
    it(`at ${rate} a minute: a start every ${interval / 1000} s (${compressed})`, async () => {
      const ticks = await startsOf(claims, rate);
      const gaps = gapsOf(ticks);
      console.log(
        `${rate}/min: gaps ${gaps.map((g) => (g / 1000).toFixed(2)).join(", ")} s (schedule ${interval / 1000} s)`,
      );
      expect(ticks.every((t) => t.n === 1)).toBe(true);
      expect(ticks).toHaveLength(claims);
      ticks.forEach((t, k) => {
        expect(t.at).toBeGreaterThanOrEqual(k * interval - SKEW_MS);
        expect(t.at).toBeLessThanOrEqual(k * interval + LATE_MS);
      });
      // Each gap is the interval, give or take how late the tick before it ran (a late start's
      // successor keeps its own slot).
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(interval - LATE_MS - SKEW_MS);
        expect(gap).toBeLessThanOrEqual(interval + LATE_MS + SKEW_MS);
      }
    }, 150_000);
  }

  // Above one claim a tick: each tick starts every claim whose slot falls before the next tick, so
  // by a tick at t the batch has started ceil((t + tick) × rate / 60 s), and ticks are a tick apart.
  it("at 600 a minute: each tick starts the claims due before the next, ticks 2 s apart", async () => {
    const rate = 600;
    const claims = 80;
    const ticks = await startsOf(claims, rate);
    const slots = (ms: number) => Math.min(claims, Math.ceil(((ms + TICK_MS) * rate) / 60_000));
    console.log(`600/min: ${ticks.map((t) => `${t.n} at ${(t.at / 1000).toFixed(2)} s`).join(", ")}`);
    expect(ticks[0].n).toBe((rate * DISPATCH_TICK_SECONDS) / 60);
    let total = 0;
    for (const t of ticks) {
      total += t.n;
      expect(total).toBeGreaterThanOrEqual(slots(t.at - SKEW_MS));
      expect(total).toBeLessThanOrEqual(slots(t.at + SKEW_MS));
    }
    for (const gap of gapsOf(ticks)) {
      expect(gap).toBeGreaterThanOrEqual(TICK_MS - SKEW_MS);
      expect(gap).toBeLessThanOrEqual(TICK_MS + LATE_MS + SKEW_MS);
    }
    expect(total).toBe(claims);
  }, 150_000);
});
