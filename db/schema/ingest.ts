import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  json,
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
    // json, as the form (schema/claims.ts): kept and read whole, never searched inside.
    record: json("record").notNull().$type<Record<string, unknown>>(),
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

// Reconciliation (lib/ingest/reconcile.ts): each time a newer record shows a claim succeeded or was
// remediated elsewhere, what ingest did about it and the evidence (the rule and the facts it matched)
// — the claim's timeline reads these. Never deleted; a conflict is settled by a person.
export const ingestReconciliations = pgTable(
  "ingest_reconciliations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    claimId: bigint("claim_id", { mode: "number" })
      .notNull()
      .references(() => savedClaims.id),
    sourceSystem: text("source_system").notNull(),
    sourceId: text("source_id").notNull(),
    // resolved_elsewhere: the claim left the triage list; conflict: a backup of ours was queued or
    // running, so a person decides; noted: our own backup already reached Benefits Intake.
    outcome: text("outcome").notNull(),
    rule: text("rule").notNull(),
    facts: jsonb("facts").notNull().$type<Record<string, unknown>>(),
    stateBefore: text("state_before").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [
    index("ingest_reconciliations_claim_idx").on(t.claimId, t.createdAt.desc()),
    index("ingest_reconciliations_open_conflicts_idx")
      .on(t.createdAt.desc())
      .where(sql`outcome = 'conflict' and settled_at is null`),
    check("ingest_reconciliations_outcome_check", sql`${t.outcome} in ('resolved_elsewhere', 'conflict', 'noted')`),
  ],
);

// Records refused at the door, kept for the Sources page: who sent them (system and id as the record
// named them, when it did), how (api or file) and every problem's path and reason — never the
// record's values, which may be PII.
export const ingestRefusals = pgTable(
  "ingest_refusals",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    sourceSystem: text("source_system"),
    sourceId: text("source_id"),
    way: text("way").notNull(),
    problems: jsonb("problems").notNull().$type<{ path: string; message: string }[]>(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ingest_refusals_received_idx").on(t.receivedAt.desc())],
);

// The remediation feed (GET /api/ingest/remediations): one row each time a backup attempt of an
// ingested claim changes status, written by a statement trigger on backup_attempts (migration 0011),
// so no step of the backup flow can forget it. `txid` is the writing transaction's id: the feed reads
// only rows of transactions older than any still running, in (txid, id) order, so a cursor never
// passes a row that commits later.
export const ingestRemediationEvents = pgTable(
  "ingest_remediation_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    txid: bigint("txid", { mode: "number" }).notNull().default(sql`(pg_current_xact_id()::text::bigint)`),
    attemptId: bigint("attempt_id", { mode: "number" }).notNull(),
    claimId: bigint("claim_id", { mode: "number" }).notNull(),
    status: text("status").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ingest_remediation_events_cursor_idx").on(t.txid, t.id)],
);

// Records received per source, hour, result and way in (api, file, …), for the Sources page's day
// and week: added to in the transaction that wrote the records (unchanged and refused ones too,
// which leave nothing else behind). Refused records whose source could not be read count under ''.
export const ingestTallies = pgTable(
  "ingest_tallies",
  {
    sourceSystem: text("source_system").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    result: text("result").notNull(),
    way: text("way").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
    // When the latest of them arrived: the Sources page's "last record received", resends included.
    lastAt: timestamp("last_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sourceSystem, t.hour, t.result, t.way] })],
);
