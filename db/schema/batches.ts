import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { backupAttempts } from "./backups";
import { batchItemStateEnum, batchSourceEnum, batchStateEnum } from "./enums";
import { users } from "./users";

export const batches = pgTable(
  "batches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    source: batchSourceEnum("source").notNull(),
    reason: text("reason").notNull(), // free text on every bulk action, e.g. a ticket number
    filter: jsonb("filter").$type<Record<string, unknown>>(), // the frozen filter, when source = filter
    state: batchStateEnum("state").notNull().default("draft"),
    ratePerMinute: integer("rate_per_minute").notNull(),
    force: integer("force").notNull().default(0), // 1: resubmit even claims already submitted
    itemCount: integer("item_count").notNull().default(0),
    createdByUserId: bigint("created_by_user_id", { mode: "number" }).references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    // The earliest time the batch's next claim may start: its rate as a schedule, kept by the
    // dispatcher under the batch's row lock (lib/batches/dispatch-schedule.ts).
    nextStartAt: timestamp("next_start_at", { withTimezone: true }),
    historical: integer("historical").notNull().default(0), // 1: a console batch from before this tool
  },
  (t) => [index("batches_created_idx").on(t.createdAt.desc())],
);

export const batchItems = pgTable(
  "batch_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // No foreign keys on these two: items are written only by createBatch, from saved_claims, in
    // the transaction that inserts the batch, and neither claims nor batches are ever deleted. The
    // keys guarded nothing and cost two lookups an item: 40% of making a 40,000-claim batch.
    batchId: bigint("batch_id", { mode: "number" }).notNull(),
    claimId: bigint("claim_id", { mode: "number" }).notNull(),
    state: batchItemStateEnum("state").notNull().default("pending"),
    note: text("note"),
    message: text("message"), // why skipped or failed
    attemptId: bigint("attempt_id", { mode: "number" }).references(() => backupAttempts.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("batch_items_batch_claim_uq").on(t.batchId, t.claimId),
    index("batch_items_batch_state_idx").on(t.batchId, t.state, t.id),
    index("batch_items_claim_idx").on(t.claimId),
  ],
);

// A batch's items by state, kept by statement triggers on batch_items (migration 0005): the
// batches list and every progress poll read a few rows here instead of counting a batch's
// hundreds of thousands of items. Spread over shards (the writing connection's pid) and summed on
// read, like metric_counters, so outcome transactions of one batch do not queue on one row.
export const batchItemCounts = pgTable(
  "batch_item_counts",
  {
    batchId: bigint("batch_id", { mode: "number" }).notNull(),
    state: batchItemStateEnum("state").notNull(),
    shard: smallint("shard").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.state, t.shard] })],
);

// The start schedule every running batch shares, one row per capped service (today only Benefits
// Intake, lib/batches/global-rate.ts): its next free start slot, locked by each dispatcher tick
// after its batch's row, so several workers keep one rate between them.
export const dispatchBudgets = pgTable("dispatch_budgets", {
  name: text("name").primaryKey(),
  nextStartAt: timestamp("next_start_at", { withTimezone: true }),
  // The batch that took the latest slot: it lets another waiting batch have the next one.
  lastBatchId: bigint("last_batch_id", { mode: "number" }),
});
