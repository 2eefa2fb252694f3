import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { lockIngest } from "@/db/queries/ingest-records";
import { ingestRecords } from "@/lib/ingest/write-records";
import { log } from "@/lib/log";
import { footprint, makeDependents, makeRecord, sourceSystem } from "../support/ingest-records";

// A chunk writes its new claims before it takes the ingest lock (lib/ingest/write-records.ts), and
// the unique keys decide between chunks that meet there. Here a third connection holds the lock
// while two chunks are written, so both write early and meet for certain: on a record both carry,
// on a dependents group (the 686c in one chunk, its 674 in the other) and on a confirmation guid
// two different records claim. Then the lock is released and both must finish as if they had been
// written one after the other.

const url = process.env.DATABASE_URL!;
const { db, close } = createDb(url, { max: 2 });
const holder = createDb(url, { max: 2 }); // one holds the lock, one watches
afterAll(async () => {
  await close();
  await holder.close();
});

const items = (records: unknown[]) => records.map((value, index) => ({ index, value }));

// Backends of this database waiting for a lock (test files run one at a time: these are the chunks).
async function lockWaiters() {
  const [row] = await holder.db.execute<{ waiting: number }>(sql`
    select count(*)::int as waiting from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
  return row.waiting;
}

async function untilLockWaiters(count: number) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && (await lockWaiters()) < count) await sleep(50);
  expect(await lockWaiters()).toBeGreaterThanOrEqual(count);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The ingest lock, held by the third connection until released.
async function holdIngestLock() {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let taken = () => {};
  const lockTaken = new Promise<void>((resolve) => {
    taken = resolve;
  });
  const holding = holder.db.transaction(async (tx) => {
    await lockIngest(tx);
    taken();
    await released;
  });
  await lockTaken;
  return {
    release: async () => {
      release();
      await holding;
    },
  };
}

describe("chunks meeting before the ingest lock", () => {
  it("create each claim once, put the 674 under its 686c and refuse the second claimant of a guid", async () => {
    const system = sourceSystem();
    const { parent, children } = makeDependents(system, 1);
    const both = makeRecord(system);
    const first = makeRecord(system);
    const second = makeRecord(system, (r) => {
      r.confirmationGuid = first.confirmationGuid;
    });

    const lock = await holdIngestLock();
    const a = ingestRecords(db, items([parent, both, first]), "api");
    const b = ingestRecords(db, items([children[0], both, second]), "api");
    // Both chunks wait: one for the lock, the other for the first one's early rows (or the lock).
    await untilLockWaiters(2);
    const info = vi.spyOn(log, "info");
    await lock.release();
    const [ra, rb] = await Promise.all([a, b]);
    // The later chunk met the earlier one's rows (the group, at least) and planned again under the lock.
    expect(info).toHaveBeenCalledWith(
      expect.objectContaining({ reason: expect.stringMatching(/^database error 23505/) }),
      "ingest: new claims left to the lock",
    );
    info.mockRestore();

    expect(ra[0].result).toBe("created"); // the 686c
    expect(rb[0].result).toBe("created"); // the 674
    expect([ra[1].result, rb[1].result].sort()).toEqual(["created", "unchanged"]);
    const claimOf = (r: (typeof ra)[number]) => (r.result === "refused" ? null : r.claimId);
    expect(claimOf(ra[1])).toBe(claimOf(rb[1])); // the record both carried: one claim
    const guidResults = [ra[2], rb[2]];
    expect(guidResults.map((r) => r.result).sort()).toEqual(["created", "refused"]);
    const refused = guidResults.find((r) => r.result === "refused");
    expect(refused?.result === "refused" && refused.problems[0].message).toMatch(
      /^already the confirmation number of claim \d+, which came from another record$/,
    );

    expect(await footprint(db, system)).toMatchObject({ records: 4, claims: 4, groups: 3, primary: 4 });
    const parentClaim = claimOf(ra[0]);
    const childClaim = claimOf(rb[0]);
    const rows = await db.execute<{ id: string; main_claim_id: string; waiting_for: string | null }>(sql`
      select id, main_claim_id, waiting_for from saved_claims where id in (${parentClaim}, ${childClaim}) order by id`);
    expect(rows.map((r) => [Number(r.main_claim_id), r.waiting_for])).toEqual([
      [parentClaim, null],
      [parentClaim, null],
    ]);
    const [group] = await db.execute<{ parent_claim_id: string }>(sql`
      select g.parent_claim_id from claim_groups g join saved_claims c on c.group_id = g.id where c.id = ${childClaim}`);
    expect(Number(group.parent_claim_id)).toBe(parentClaim);
  });

  // The deadlock writeChunk retries: chunk B waits for the lock, then chunk A writes a new claim with
  // a guid early and waits for the lock too; B gets the lock first and gives an existing claim that
  // same guid, so B waits for A's row while A waits for B's lock. PostgreSQL ends one of them. Which
  // one is fixed here: a waiting backend looks for a deadlock once, deadlock_timeout after it began
  // to wait, so A, waiting longer than that before the lock is released, has looked and found none;
  // B looks a deadlock_timeout after it meets A's row, finds the cycle and is ended.
  it("write again, whole, the chunk PostgreSQL ends to break a deadlock", async () => {
    const system = sourceSystem();
    const held = makeRecord(system);
    const [stored] = await ingestRecords(db, items([held]), "api");
    expect(stored.result).toBe("created");
    const newGuid = makeRecord(system).confirmationGuid;
    const newer = structuredClone(held);
    newer.source.updatedAt = new Date(Date.parse(held.source.updatedAt) + 60_000).toISOString();
    newer.confirmationGuid = newGuid;
    const taker = makeRecord(system, (r) => {
      r.confirmationGuid = newGuid;
    });
    const [timeout] = await holder.db.execute<{ ms: number }>(
      sql`select setting::int as ms from pg_settings where name = 'deadlock_timeout'`,
    );

    const lock = await holdIngestLock();
    const b = ingestRecords(db, items([newer]), "api"); // an update: nothing written early
    await untilLockWaiters(1);
    const a = ingestRecords(db, items([taker]), "api"); // its new claim, guid and all, written early
    await untilLockWaiters(2);
    await sleep(timeout.ms + 500);
    const warn = vi.spyOn(log, "warn");
    await lock.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(warn).toHaveBeenCalledWith({ attempt: 1, records: 1 }, "ingest: chunk written again after a deadlock");
    warn.mockRestore();

    // Written again after A's commit, B's update meets the guid A's claim now holds, and is refused.
    expect(ra[0].result).toBe("created");
    expect(rb[0].result).toBe("refused");
    const takerClaim = ra[0].result === "created" ? ra[0].claimId : null;
    expect(rb[0].result === "refused" && rb[0].problems).toEqual([
      {
        path: "confirmationGuid",
        message: `already the confirmation number of claim ${takerClaim}, which came from another record`,
      },
    ]);
    const rows = await db.execute<{ id: string; guid: string }>(sql`
      select id, guid::text from saved_claims where id in (${stored.result === "created" ? stored.claimId : 0}, ${takerClaim}) order by id`);
    expect(rows.map((r) => r.guid)).toEqual([held.confirmationGuid, newGuid]);
    expect(await footprint(db, system)).toMatchObject({ records: 2, claims: 2, primary: 2 });
  });
});
