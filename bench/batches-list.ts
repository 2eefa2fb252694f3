import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { countBatches, getBatchesPage, getBatchItemCounts } from "@/db/queries/batches";
import { type BenchRow, ms, timeRuns } from "./support";

// The batches list and a batch's progress: item counts by state for batches of hundreds of
// thousands of items (the seed's historical console batches), read on every visit and every poll.
export async function benchBatchesList(db: Db, runs = 20): Promise<BenchRow[]> {
  const [{ items }] = Array.from(
    await db.execute<{ items: number }>(sql`select count(*)::int as items from batch_items`),
  );
  const [{ id: largest }] = Array.from(
    await db.execute<{ id: number }>(
      sql`select batch_id::int as id from batch_items group by 1 order by count(*) desc limit 1`,
    ),
  );
  const list = await timeRuns(runs, () =>
    Promise.all([getBatchesPage(db, { pageIndex: 0, pageSize: 20 }), countBatches(db)]),
  );
  const progress = await timeRuns(runs, () => getBatchItemCounts(db, Number(largest)));
  return [
    {
      name: `batches list: page 1 with item counts (${items.toLocaleString("en-US")} items in all)`,
      value: `p50 ${ms(list.p50)} p95 ${ms(list.p95)}`,
    },
    {
      name: "batch page: item counts of the largest batch (every progress poll)",
      value: `p50 ${ms(progress.p50)} p95 ${ms(progress.p95)}`,
    },
  ];
}
