import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { savedClaims } from "./claims";
import { attemptStatusEnum, attemptTriggerEnum, documentRoleEnum, formTypeEnum } from "./enums";
import { users } from "./users";

// One per claim (the seed's Lighthouse::Submission), found or created when a backup starts.
export const backupSubmissions = pgTable("backup_submissions", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  claimId: bigint("claim_id", { mode: "number" })
    .notNull()
    .unique()
    .references(() => savedClaims.id),
  formType: formTypeEnum("form_type").notNull(),
  latestStatus: attemptStatusEnum("latest_status"),
  // Set while a backup for this claim is queued, running or waiting for a retry. Taking it is the
  // one atomic step that decides who may start a backup; it is cleared when the run ends.
  inFlightSince: timestamp("in_flight_since", { withTimezone: true }),
  inFlightBatchId: bigint("in_flight_batch_id", { mode: "number" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

// One per try (the seed's Lighthouse::SubmissionAttempt).
export const backupAttempts = pgTable(
  "backup_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    submissionId: bigint("submission_id", { mode: "number" })
      .notNull()
      .references(() => backupSubmissions.id),
    claimId: bigint("claim_id", { mode: "number" })
      .notNull()
      .references(() => savedClaims.id),
    attemptNumber: integer("attempt_number").notNull(),
    // 0 for the first try of a run, n for the n-th automatic retry of that run.
    retryNumber: integer("retry_number").notNull().default(0),
    status: attemptStatusEnum("status").notNull().default("pending"),
    benefitsIntakeUuid: uuid("benefits_intake_uuid"),
    uploadLocation: text("upload_location"),
    locationIssuedAt: timestamp("location_issued_at", { withTimezone: true }),
    // Set just before the PUT: a crashed run finding this asks Benefits Intake what arrived.
    uploadStartedAt: timestamp("upload_started_at", { withTimezone: true }),
    errorClass: text("error_class"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    httpStatus: integer("http_status"),
    transient: boolean("transient"),
    metadata: jsonb("metadata").$type<Record<string, string>>(),
    trigger: attemptTriggerEnum("trigger").notNull(),
    triggeredByUserId: bigint("triggered_by_user_id", { mode: "number" }).references(() => users.id),
    batchId: bigint("batch_id", { mode: "number" }),
    forced: boolean("forced").notNull().default(false),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    endStateAt: timestamp("end_state_at", { withTimezone: true }),
    lastPolledAt: timestamp("last_polled_at", { withTimezone: true }),
  },
  (t) => [
    index("backup_attempts_claim_idx").on(t.claimId, t.attemptNumber.desc()),
    uniqueIndex("backup_attempts_claim_number_uq").on(t.claimId, t.attemptNumber),
    // At most one attempt per claim may be working at once, whatever the callers and workers do.
    uniqueIndex("backup_attempts_one_pending_uq").on(t.claimId).where(sql`status = 'pending'`),
    index("backup_attempts_submitted_poll_idx").on(t.lastPolledAt).where(sql`status in ('submitted', 'success')`),
    index("backup_attempts_uuid_idx").on(t.benefitsIntakeUuid),
    index("backup_attempts_started_idx").on(t.startedAt),
    index("backup_attempts_batch_idx").on(t.batchId),
  ],
);

// Each stamped PDF generated and uploaded for an attempt; the file itself is content-addressed.
export const documents = pgTable(
  "documents",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    attemptId: bigint("attempt_id", { mode: "number" })
      .notNull()
      .references(() => backupAttempts.id),
    claimId: bigint("claim_id", { mode: "number" })
      .notNull()
      .references(() => savedClaims.id),
    role: documentRoleEnum("role").notNull(),
    position: integer("position").notNull(), // 0 for main, n for attachmentN
    formType: text("form_type").notNull(), // a form number, or 'attachment'
    fileName: text("file_name").notNull(),
    byteSize: integer("byte_size").notNull(),
    pageCount: integer("page_count").notNull(),
    sha256: text("sha256").notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("documents_attempt_idx").on(t.attemptId),
    index("documents_claim_idx").on(t.claimId),
    uniqueIndex("documents_attempt_position_uq").on(t.attemptId, t.position),
  ],
);
