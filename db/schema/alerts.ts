import { sql } from "drizzle-orm";
import { bigserial, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

// One row per episode of an alert rule firing: from the evaluation that found the condition true to
// the one that found it false. Notifications are sent once per episode (the sent-at columns), and
// at most one episode per rule and subject is open at a time.
export const alertEpisodes = pgTable(
  "alert_episodes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    rule: text("rule").notNull(), // an AlertRuleId (lib/alerts/rules.ts)
    // What the rule fired about: a batch id, a fingerprint; '' for rules about the whole system.
    subject: text("subject").notNull().default(""),
    summary: text("summary").notNull(),
    link: text("link").notNull(), // a path in the app
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
    emailSentAt: timestamp("email_sent_at", { withTimezone: true }),
    webhookSentAt: timestamp("webhook_sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("alert_episodes_open_uq").on(t.rule, t.subject).where(sql`cleared_at is null`),
    index("alert_episodes_started_idx").on(t.startedAt.desc()),
  ],
);
