import { bigserial, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { roleEnum } from "./enums";

// Sessions are JWTs (next-auth), so the users table is the only auth table; it holds the role.
export const users = pgTable("users", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: roleEnum("role").notNull().default("viewer"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
});
