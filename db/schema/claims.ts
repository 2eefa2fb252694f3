import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  char,
  check,
  index,
  integer,
  json,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { claimGroupStatusEnum, formTypeEnum, triageStateEnum } from "./enums";

// A parent claim (526EZ, or a 686c) and its children (674s travel with a 686c).
export const claimGroups = pgTable("claim_groups", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  parentClaimId: bigint("parent_claim_id", { mode: "number" }),
  status: claimGroupStatusEnum("status").notNull().default("failure"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const savedClaims = pgTable(
  "saved_claims",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // The veteran's confirmation number.
    guid: uuid("guid").notNull().unique().default(sql`gen_random_uuid()`),
    formType: formTypeEnum("form_type").notNull(),
    // json, not jsonb: the form is stored and read whole (the PDFs are rendered from it), never
    // searched inside, and PostgreSQL takes json text as it is where it builds jsonb anew
    // (migration 0021: a fifth of a bulk import's database time went to that).
    formData: json("form_data").notNull().$type<Record<string, unknown>>(),
    veteranFirstName: text("veteran_first_name").notNull(),
    veteranLastName: text("veteran_last_name").notNull(),
    fileNumber: text("file_number").notNull(),
    fileLast4: char("file_last4", { length: 4 }).notNull(),
    zipCode: text("zip_code"),
    email: text("email"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull(),
    groupId: bigint("group_id", { mode: "number" })
      .notNull()
      .references(() => claimGroups.id),
    // The claim whose backup carries this one: itself for a 526EZ or a 686c, the 686c for a 674.
    mainClaimId: bigint("main_claim_id", { mode: "number" }).references((): AnyPgColumn => savedClaims.id),
    duplicateOf: bigint("duplicate_of", { mode: "number" }).references((): AnyPgColumn => savedClaims.id),

    // The triage read model, written in the same transaction as the change it reflects.
    triageState: triageStateEnum("triage_state").notNull().default("never_tried"),
    // Shown as a success, never told of the failure, no backup ever succeeded (docs/design.md §3).
    blackHole: boolean("black_hole").notNull().default(false),
    // The veteran was told the claim failed: a primary-path notice or our backup_failed e-mail.
    failureNotified: boolean("failure_notified").notNull().default(false),
    failureReason: text("failure_reason"), // normalised primary-path message (the fingerprint)
    attemptCount: integer("attempt_count").notNull().default(0),
    latestAttemptStatus: text("latest_attempt_status"),
    latestBatchId: bigint("latest_batch_id", { mode: "number" }),
    excludedReason: text("excluded_reason"),
    // Set on a main claim that came through ingest and may not start yet (lib/backup/rules.ts):
    // 'evidence' while a referenced evidence file has not arrived, 'parent_claim' for a 674 whose
    // 686c has not. Null when nothing is missing, and for every claim that did not come through ingest.
    waitingFor: text("waiting_for"),
    // Why the claim is on the list as the source's records define it (lib/ingest/classify.ts).
    classificationRule: text("classification_rule"),
    classificationVersion: smallint("classification_version"),

    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The list's newest-first order (submitted_at desc nulls last, id desc nulls last) is served by
    // saved_claims_list_covering2_idx (migrations 0004 and 0022, which gave it that NULLS order), not
    // declared here: a second index on it only made each insert write one more (dropped in 0020).
    index("saved_claims_form_submitted_idx").on(t.formType, t.submittedAt.desc(), t.id.desc()),
    index("saved_claims_triage_submitted_idx").on(t.triageState, t.submittedAt.desc(), t.id.desc()),
    index("saved_claims_reason_submitted_idx").on(t.failureReason, t.submittedAt.desc(), t.id.desc()),
    index("saved_claims_black_hole_idx").on(t.blackHole, t.triageState),
    // Silent failures: failed or never tried, veteran not told, nothing working on it.
    index("saved_claims_silent_idx")
      .on(t.triageState)
      .where(sql`not failure_notified and triage_state in ('never_tried', 'failed')`),
    // Batch and duplicate links are looked up by value (a batch's claims, a claim's duplicates) and
    // most claims have neither: only the claims that have one are indexed, so a claim's insert (a
    // bulk import writes a million) does not add a null to each (migration 0019).
    index("saved_claims_batch_idx").on(t.latestBatchId).where(sql`latest_batch_id is not null`),
    index("saved_claims_group_idx").on(t.groupId),
    index("saved_claims_main_idx").on(t.mainClaimId),
    index("saved_claims_last4_idx").on(t.fileLast4),
    // One veteran's claims of one form (ingest's duplicate rule, db/queries/ingest-groups.ts), and the
    // search by file number (its first column). Common last names made a last-name index (dropped
    // in 0018: nothing else read it; search has its own keys) the planner's pick for that rule,
    // and the rule quadratic over a bulk load.
    index("saved_claims_veteran_form_idx").on(t.fileNumber, sql`lower(${t.veteranLastName})`, t.formType),
    index("saved_claims_duplicate_idx").on(t.duplicateOf).where(sql`duplicate_of is not null`),
    // The few claims waiting for something from the system of record (the Sources page lists them).
    index("saved_claims_waiting_idx").on(t.waitingFor).where(sql`waiting_for is not null`),
    check("saved_claims_waiting_for_check", sql`${t.waitingFor} in ('evidence', 'parent_claim')`),
  ],
);

// What happened on the primary path.
export const primarySubmissions = pgTable("primary_submissions", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  claimId: bigint("claim_id", { mode: "number" })
    .notNull()
    .unique()
    .references(() => savedClaims.id),
  status: text("status").notNull(), // 'failure' for every claim this tool cares about
  errorClass: text("error_class"),
  errorMessage: text("error_message"),
  failedAt: timestamp("failed_at", { withTimezone: true }),
  shownAsSuccess: boolean("shown_as_success").notNull().default(false),
  failureNoticeSent: boolean("failure_notice_sent").notNull().default(false),
});

export const persistentAttachments = pgTable(
  "persistent_attachments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    claimId: bigint("claim_id", { mode: "number" })
      .notNull()
      .references(() => savedClaims.id),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(), // application/pdf, image/jpeg, image/png
    storageKey: text("storage_key").notNull(),
    byteSize: integer("byte_size").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("persistent_attachments_claim_idx").on(t.claimId),
    // Ingested evidence is keyed by its SHA-256: a file's arrival finds the claims waiting for it.
    index("persistent_attachments_storage_key_idx").on(t.storageKey),
  ],
);
