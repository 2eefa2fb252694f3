import { createDb, type Db } from "@/db/client";
import { getEnv } from "./env";

// One PostgreSQL client per process, kept across hot reloads in development.
const globalForDb = globalThis as unknown as { claimTriageDb?: ReturnType<typeof createDb> };

export function getDatabase() {
  if (!globalForDb.claimTriageDb) {
    const env = getEnv();
    if (!env.DATABASE_URL)
      throw new Error("DATABASE_URL is not set: start the app with `npm run dev`, which provides a database");
    // The web's pool only: a statement over DATABASE_STATEMENT_TIMEOUT_MS is cancelled, and the
    // person gets an answer instead of a page that never loads (lib/statement-timeout.ts).
    globalForDb.claimTriageDb = createDb(env.DATABASE_URL, {
      max: env.DATABASE_POOL_SIZE,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    });
  }
  return globalForDb.claimTriageDb;
}

export function getDb(): Db {
  return getDatabase().db;
}
