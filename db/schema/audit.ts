import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users";

// Every action the audit log records. Writers (recordAudit) take only these, and the page's labels
// are a Record over them, so a new or misspelt name is a compile error, not a raw name on screen.
export type AuditAction =
  | "claim.resubmit"
  | "claim.resubmit_refused" // the claim could not start (excluded, in flight, …): nothing was sent
  | "claim.exclude"
  | "claim.unexclude"
  | "claim.conflict_settle" // a person settled an ingest conflict (details: decision, reconciliation ids)
  | "claim.view" // a claim page opened with its PII unmasked (once per user and claim per window)
  | "claims.export"
  | "batch.create"
  | "batch.create_and_start"
  | "batch.start"
  | "batch.pause"
  | "batch.resume"
  | "batch.cancel"
  | "batch.rate"
  | "batch.import"
  | "batch.export"
  | "document.download"
  | "user.role_change"
  | "user.disable"
  | "user.enable"
  | "action.refused" // a signed-in user called an action their role does not allow
  | "audit.export"
  | "group.update" // a failure group's status, owner, notes or ticket changed (details: from, to)
  | "group.exclude" // every excludable claim of a failure group excluded (each claim also claim.exclude)
  | "group.reopen" // the worker reopened a resolved or ignored group on new failures
  | "view.save"
  | "view.delete";

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    userId: bigint("user_id", { mode: "number" }).references(() => users.id),
    userEmail: text("user_email").notNull(),
    action: text("action").notNull(), // an AuditAction: recordAudit writes no other
    claimCount: integer("claim_count").notNull().default(0),
    claimIds: bigint("claim_ids", { mode: "number" }).array(), // sample, at most 1,000
    batchId: bigint("batch_id", { mode: "number" }),
    reason: text("reason"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at.desc()),
    index("audit_events_action_idx").on(t.action, t.at.desc()),
    index("audit_events_user_idx").on(t.userEmail, t.at.desc()),
  ],
);
