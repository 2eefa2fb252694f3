import { bigint, bigserial, boolean, index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./users";

// A claims list as someone saved it: the list's URL query (filter and sort, lib/claims/search-params.ts)
// and the columns shown, by name, private to its owner or shared with the team.
export const savedViews = pgTable(
  "saved_views",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    name: text("name").notNull(),
    ownerUserId: bigint("owner_user_id", { mode: "number" })
      .notNull()
      .references(() => users.id),
    shared: boolean("shared").notNull().default(false),
    query: text("query").notNull(),
    // The claims table's column ids shown; empty = every column.
    columns: text("columns").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("saved_views_owner_name_uq").on(t.ownerUserId, t.name),
    index("saved_views_shared_idx").on(t.shared),
  ],
);
