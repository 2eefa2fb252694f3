import { sql as dsql, type SQL } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { DbOrTx } from "@/db/client";

// pg-boss keeps the queue in the same PostgreSQL, so any number of workers coordinate through row
// locks and a job can be enqueued in the same transaction as the state change that asks for it.

export const QUEUE_SCHEMA = "pgboss";

export function createBoss(connectionString: string, options: { max?: number } = {}) {
  return new PgBoss({ connectionString, schema: QUEUE_SCHEMA, max: options.max ?? 4, supervise: true, schedule: true });
}

// pg-boss speaks `$1`-style SQL with node-postgres value conventions (undefined is null, objects
// are JSON); this runs it inside a drizzle transaction.
function asParameter(value: unknown) {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

function toDrizzleSql(text: string, values: unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => {
    chunks.push(i % 2 === 0 ? dsql.raw(part) : dsql`${asParameter(values[Number(part) - 1])}`);
  });
  return dsql.join(chunks);
}

export function inTransaction(tx: DbOrTx): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const rows = await tx.execute(toDrizzleSql(text, values));
      return { rows: Array.from(rows as unknown as Iterable<unknown>) };
    },
  } as PgBoss.Db;
}
