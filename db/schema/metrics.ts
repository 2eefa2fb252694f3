import { bigint, date, integer, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";

// Counters live in PostgreSQL so every worker and web process adds to the same figure. Each
// counter is spread over rows (shards, one per connection) summed on read: a single row, locked
// by every outcome transaction until it committed, made them queue behind each other.
export const metricCounters = pgTable(
  "metric_counters",
  {
    name: text("name").notNull(),
    labels: text("labels").notNull().default(""), // Prometheus label text, e.g. outcome="success"
    shard: smallint("shard").notNull().default(0),
    value: bigint("value", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.name, t.labels, t.shard] })],
);

// One row a day: how many claims were outstanding at its end (the burn-down).
export const outstandingDaily = pgTable("outstanding_daily", {
  day: date("day").primaryKey(),
  outstanding: integer("outstanding").notNull(),
  recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
});

export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
