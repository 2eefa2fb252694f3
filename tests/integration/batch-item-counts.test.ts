import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { getItemCountsForBatches } from "@/db/queries/batches";
import { seededRandom } from "../support/fault-tools";

// batch_item_counts is kept by triggers (migration 0005) and read by the batches list and every
// progress poll. It must equal a count of the items themselves after anything: the seed's COPY,
// many connections moving items at once, rolled-back transactions, deletes.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
const writers = postgres(process.env.DATABASE_URL!, { max: 8, onnotice: () => {} });
afterAll(async () => {
  await writers.end({ timeout: 1 });
  await close();
});

const STATES = ["pending", "in_progress", "submitted", "confirmed", "failed", "skipped", "cancelled"] as const;

async function countedByTriggers() {
  return (
    await writers<{ batch_id: number; state: string; n: number }[]>`
    select batch_id::int, state::text, sum(n)::int as n from batch_item_counts
    group by 1, 2 having sum(n) <> 0 order by 1, 2`
  ).map((r) => ({ ...r }));
}

async function countedFromItems() {
  return (
    await writers<{ batch_id: number; state: string; n: number }[]>`
    select batch_id::int, state::text, count(*)::int as n from batch_items group by 1, 2 order by 1, 2`
  ).map((r) => ({ ...r }));
}

describe("batch item counts", () => {
  it("match the items after the seed", async () => {
    const items = await countedFromItems();
    expect(items.length).toBeGreaterThan(0);
    expect(await countedByTriggers()).toEqual(items);
  });

  it("stay exact while eight connections move, add and delete items at once, some rolling back", async () => {
    const [{ id: batchId }] = await writers<{ id: number }[]>`
      insert into batches (name, source, reason, state, rate_per_minute)
      values ('counts test', 'selection', 'test', 'running', 600) returning id::int`;
    // 2,000 items in one statement (the way createBatch writes them).
    await writers`insert into batch_items (batch_id, claim_id) select ${batchId}, g from generate_series(1, 2000) g`;
    const random = seededRandom(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const work = Array.from({ length: 8 }, async (_, writer) => {
      for (let round = 0; round < 25; round++) {
        const from = 1 + Math.floor(random() * 1900);
        const to = pick(STATES);
        const rollBack = random() < 0.2;
        await writers
          .begin(async (tx) => {
            await tx`update batch_items set state = ${to}, updated_at = now()
              where batch_id = ${batchId} and claim_id between ${from} and ${from + 40}`;
            // A second statement in the same transaction, on rows another writer may be moving.
            await tx`update batch_items set state = ${pick(STATES)}
              where batch_id = ${batchId} and claim_id = ${1 + ((from + writer * 97) % 2000)}`;
            if (round % 10 === 0)
              await tx`update batch_items set message = 'a note, no state change'
                where batch_id = ${batchId} and claim_id <= 100`;
            if (rollBack) throw new Error("roll back");
          })
          .catch((e: Error) => {
            if (e.message !== "roll back" && !/deadlock/.test(e.message)) throw e;
          });
      }
    });
    await Promise.all(work);
    await writers`delete from batch_items where batch_id = ${batchId} and claim_id > 1950`;

    expect(await countedByTriggers()).toEqual(await countedFromItems());
    const counts = (await getItemCountsForBatches(db, [batchId])).get(batchId)!;
    expect(counts.total).toBe(1950);
    const live = await writers<
      { state: string; n: number }[]
    >`select state::text, count(*)::int as n from batch_items where batch_id = ${batchId} group by 1`;
    for (const { state, n } of live) expect(counts[state as (typeof STATES)[number]], state).toBe(n);
  });
});
