import { sql } from "drizzle-orm";
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
import { claimGroups, savedClaims } from "./claims";

// What the system of record sent (docs/ingest.md): one row per submission it knows, keyed by the
// source's own identity, holding the latest version as received (unknown fields included; its form
// on the claim) and the claim it maps to. Claims and their triage history live in the usual tables; this is the ledger
// that makes a second delivery of the same record a no-op and a newer one an update.
export const ingestRecords = pgTable(
  "ingest_records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sourceSystem: text("source_system").notNull(),
    sourceTable: text("source_table").notNull(),
    sourceId: text("source_id").notNull(),
    schemaVersion: smallint("schema_version").notNull(),
    // The source's own time of its latest change: a record older than the one held is not applied.
    sourceUpdatedAt: timestamp("source_updated_at", { withTimezone: true }).notNull(),
    // SHA-256 of the record's canonical JSON: the same record sent again changes nothing.
    contentSha256: text("content_sha256").notNull(),
    // The record as received but for its formData, which is the claim's form_data (kept once):
    // db/queries/ingest-records.ts, receivedRecordSql, puts the two together again.
    record: jsonb("record").notNull().$type<Record<string, unknown>>(),
    // The group's parent as the source names it (itself for a 526EZ or a 686c).
    parentSourceId: text("parent_source_id").notNull(),
    claimId: bigint("claim_id", { mode: "number" })
      .notNull()
      .unique()
      .references(() => savedClaims.id),
    // Classification (lib/ingest/classify.ts): the category, rule and the facts it matched.
    category: text("category").notNull(),
    rule: text("rule").notNull(),
    ruleVersion: smallint("rule_version").notNull(),
    facts: jsonb("facts").notNull().$type<Record<string, unknown>>(),
    // When the classification can change with time alone (a claim in process turns failed after
    // three weeks), so a later pass can look again without a new record.
    reevaluateAt: timestamp("reevaluate_at", { withTimezone: true }),
    // The exclusion text ingest wrote on the claim, if any: how ingest knows an exclusion is its
    // own to lift, and never lifts one an admin made.
    parkedReason: text("parked_reason"),
    versions: integer("versions").notNull().default(1),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ingest_records_source_uq").on(t.sourceSystem, t.sourceId),
    index("ingest_records_parent_idx").on(t.sourceSystem, t.parentSourceId),
    index("ingest_records_reevaluate_idx").on(t.reevaluateAt).where(sql`reevaluate_at is not null`),
    index("ingest_records_updated_idx").on(t.sourceSystem, t.updatedAt.desc()),
  ],
);

// A claim group as the source names it (system + parent's id), so a 674 that arrives before its
// 686c lands in the group the 686c will join.
export const ingestGroups = pgTable(
  "ingest_groups",
  {
    sourceSystem: text("source_system").notNull(),
    parentSourceId: text("parent_source_id").notNull(),
    groupId: bigint("group_id", { mode: "number" })
      .notNull()
      .unique()
      .references(() => claimGroups.id),
  },
  (t) => [primaryKey({ columns: [t.sourceSystem, t.parentSourceId] })],
);

// Evidence files received by content hash (PUT /api/ingest/files/{sha256}). A claim referencing a
// hash not listed here is waiting for its evidence.
export const ingestFiles = pgTable("ingest_files", {
  sha256: text("sha256").primaryKey(),
  byteSize: bigint("byte_size", { mode: "number" }).notNull(),
  contentType: text("content_type").notNull(),
  storageKey: text("storage_key").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});
