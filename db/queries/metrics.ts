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
    .values({ name, labels: labelText, value: by })
    .onConflictDoUpdate({ target: [metricCounters.name, metricCounters.labels], set: { value: sql`${metricCounters.value} + ${by}` } });
}

export async function getCounters(db: DbOrTx) {
  return db.select().from(metricCounters).orderBy(metricCounters.name, metricCounters.labels);
}
