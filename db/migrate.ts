import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { createDb } from "./client";

export const MIGRATIONS_DIR = path.join(__dirname, "migrations");

// Safe to run from several processes at once: drizzle's migrator runs inside one transaction and
// we serialise callers with an advisory lock.
export async function migrateDatabase(url: string) {
  const { db, sql, close } = createDb(url, { max: 1 });
  try {
    await sql`select pg_advisory_lock(727001)`;
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    await sql`select pg_advisory_unlock(727001)`;
  } finally {
    await close();
  }
}
