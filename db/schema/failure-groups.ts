import { sql } from "drizzle-orm";
import { bigint, check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users";

// A failure group is every claim sharing one fingerprint (saved_claims.failure_reason). Its counts
// come from the claims; this row holds only what the team decides about it. A fingerprint with no
// row is an open, unowned group: the row is written the first time someone acts on it.
export const failureGroups = pgTable(
  "failure_groups",
  {
    fingerprint: text("fingerprint").primaryKey(),
    status: text("status").notNull().default("open"), // a FailureGroupStatus
    ownerUserId: bigint("owner_user_id", { mode: "number" }).references(() => users.id),
    notes: text("notes"),
    ticketUrl: text("ticket_url"),
    // Ignored until a day, or until this many more failures arrive (lib/failure-groups/lifecycle.ts).
    ignoreUntilAt: timestamp("ignore_until_at", { withTimezone: true }),
    ignoreUntilCount: integer("ignore_until_count"),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull().defaultNow(),
    // Set when the worker reopened a resolved or ignored group, with why; cleared by the next change by a person.
    reopenedAt: timestamp("reopened_at", { withTimezone: true }),
    reopenedReason: text("reopened_reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("failure_groups_status_check", sql`${t.status} in ('open', 'investigating', 'resolved', 'ignored')`)],
);
