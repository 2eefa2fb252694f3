import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema>;
// A transaction is used wherever a Db is; queries take either.
export type DbOrTx = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

// statementTimeoutMs: PostgreSQL cancels any one statement of this pool that runs longer (error
// 57014, lib/statement-timeout.ts). The web's pool sets it so a request cannot hang on a runaway
// query; the worker and migrations do long work on purpose and leave it off.
export function createDb(
  url: string,
  options: { max?: number; prepareStatements?: boolean; statementTimeoutMs?: number } = {},
) {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // A startup parameter: set when each connection opens, no extra round trip per request.
    ...(options.statementTimeoutMs ? { connection: { statement_timeout: options.statementTimeoutMs } } : {}),
  });
  if (options.prepareStatements) prepareStatements(sql);
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

// Drizzle sends every query unprepared, so PostgreSQL parses and plans it on every call. The
// worker runs the same few dozen statements for every claim, and planning them cost more than
// running them: its connections prepare each statement once (postgres.js keeps them per
// connection, keyed by text). Statements with many parameters are the variable-length id lists of
// bulk work; they stay unprepared so the cache stays small. The web app keeps custom plans: its
// list queries differ by filter, and a generic plan can be poor for skewed values.
const MAX_PREPARED_PARAMETERS = 64;

type Unsafe = postgres.Sql["unsafe"];
type Scoped = { unsafe: Unsafe; begin?: (...args: never[]) => unknown; savepoint?: (...args: never[]) => unknown };

function prepareStatements(sql: Scoped) {
  const unsafe = sql.unsafe;
  sql.unsafe = ((query: string, parameters?: never[], options?: postgres.UnsafeQueryOptions) =>
    unsafe(query, parameters, { ...options, prepare: (parameters?.length ?? 0) <= MAX_PREPARED_PARAMETERS })) as Unsafe;
  // Transactions and savepoints hand their callback a scoped client: it prepares too.
  for (const method of ["begin", "savepoint"] as const) {
    const open = sql[method] as ((...args: unknown[]) => unknown) | undefined;
    if (!open) continue;
    (sql as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const callback = args[args.length - 1] as (scoped: Scoped) => unknown;
      args[args.length - 1] = (scoped: Scoped) => {
        prepareStatements(scoped);
        return callback(scoped);
      };
      return open.apply(sql, args);
    };
  }
}
