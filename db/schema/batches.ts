import {
  bigserial, bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex,
} from "drizzle-orm/pg-core";
import { batchItemStateEnum, batchSourceEnum, batchStateEnum } from "./enums";
import { savedClaims } from "./claims";
import { backupAttempts } from "./backups";
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
    historical: integer("historical").notNull().default(0), // 1: a console batch from before this tool
  },
  (t) => [index("batches_created_idx").on(t.createdAt.desc())],
);

export const batchItems = pgTable(
  "batch_items",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    batchId: bigint("batch_id", { mode: "number" }).notNull().references(() => batches.id),
    claimId: bigint("claim_id", { mode: "number" }).notNull().references(() => savedClaims.id),
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
