import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { metricCounters } from "../schema";

// Counted in the same transaction as the event, so a figure never runs ahead of the records.
export async function incrementCounter(db: DbOrTx, name: string, labels: Record<string, string> = {}, by = 1) {
  const labelText = Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`)
    .join(",");
  await db
    .insert(metricCounters)
    .values({ name, labels: labelText, shard: sql`pg_backend_pid() % ${COUNTER_SHARDS}`, value: by })
    .onConflictDoUpdate({
      target: [metricCounters.name, metricCounters.labels, metricCounters.shard],
      set: { value: sql`${metricCounters.value} + ${by}` },
    });
}

// A counter row per database connection (its backend pid): a connection runs one transaction at
// a time, so two transactions never wait on the same counter row.
const COUNTER_SHARDS = 1024;

export async function getCounters(db: DbOrTx) {
  return db
    .select({
      name: metricCounters.name,
      labels: metricCounters.labels,
      value: sql<number>`sum(${metricCounters.value})::float8`,
    })
    .from(metricCounters)
    .groupBy(metricCounters.name, metricCounters.labels)
    .orderBy(metricCounters.name, metricCounters.labels);
}
