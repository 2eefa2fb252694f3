import { sql } from "drizzle-orm";
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { backupAttempts } from "./backups";
import { savedClaims } from "./claims";
import { notificationStatusEnum, notificationTemplateEnum } from "./enums";

// The e-mail outbox: a row is written in the transaction that decides the e-mail is due, then sent.
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    claimId: bigint("claim_id", { mode: "number" })
      .notNull()
      .references(() => savedClaims.id),
    attemptId: bigint("attempt_id", { mode: "number" })
      .notNull()
      .references(() => backupAttempts.id),
    template: notificationTemplateEnum("template").notNull(),
    recipient: text("recipient").notNull(),
    personalisation: jsonb("personalisation").notNull().$type<Record<string, string>>(),
    status: notificationStatusEnum("status").notNull().default("queued"),
    providerId: text("provider_id"),
    tries: integer("tries").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_claim_template_attempt_uq").on(t.claimId, t.template, t.attemptId),
    index("notifications_claim_idx").on(t.claimId),
    index("notifications_queued_idx").on(t.createdAt).where(sql`status = 'queued'`),
  ],
);
