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

describe("chunks meeting before the ingest lock", () => {
  it("create each claim once, put the 674 under its 686c and refuse the second claimant of a guid", async () => {
    const system = sourceSystem();
    const { parent, children } = makeDependents(system, 1);
    const both = makeRecord(system);
    const first = makeRecord(system);
    const second = makeRecord(system, (r) => {
      r.confirmationGuid = first.confirmationGuid;
    });

    let release = () => {};
    const locked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let taken = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    const holding = holder.db.transaction(async (tx) => {
      await lockIngest(tx);
      taken();
      await locked;
    });
    await lockTaken;
    const a = ingestRecords(db, items([parent, both, first]), "api");
    const b = ingestRecords(db, items([children[0], both, second]), "api");
    // Both chunks wait: one for the lock, the other for the first one's early rows (or the lock).
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await lockWaiters()) < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await lockWaiters()).toBeGreaterThanOrEqual(2);
    const info = vi.spyOn(log, "info");
    release();
    await holding;
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
});
