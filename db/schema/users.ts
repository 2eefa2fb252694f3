import { bigserial, boolean, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { roleEnum } from "./enums";

// The issuer of the development sign-in's seeded users: no identity provider answers for it, so only
// the dev credentials sign-in (never on in production) can reach these rows.
export const DEV_ISSUER = "dev";

// Rows from before identities were keyed by (issuer, subject): known only by e-mail. The first
// sign-in through the configured provider with that e-mail, verified, takes such a row over once.
export const LEGACY_ISSUER = "legacy-email";

// Sessions are JWTs (next-auth), so the users table is the only auth table; it holds the role and
// whether the account may be used at all. A person is (issuer, subject): providers reassign
// e-mail addresses, never subjects. Rows are never deleted: the audit log and batches point at them.
export const users = pgTable(
  "users",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: roleEnum("role").notNull().default("viewer"),
    // Set when an admin chose the role on the Users page; until then each sign-in maps it from groups.
    roleSetByAdmin: boolean("role_set_by_admin").notNull().default(false),
    // A disabled account's sessions are refused at their next request, and it cannot sign in again.
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("users_identity_key").on(t.issuer, t.subject), index("users_email_idx").on(t.email)],
);
