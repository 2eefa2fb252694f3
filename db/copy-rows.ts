import type { Sql } from "postgres";
import type { DbOrTx } from "./client";

// COPY … FROM STDIN in text format: how a bulk import hands PostgreSQL its rows. Each field goes
// straight to its column type's input function, row by row. A chunk's rows sent as one JSON
// parameter instead (jsonb_to_recordset) were parsed whole into one tree of tens of megabytes,
// written out again as one binary value and cut back into fields: memory PostgreSQL took fresh
// from the kernel on every statement (a tenth of its time went to zeroing new pages).

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

// Text as a COPY field: a backslash, tab, newline or return is escaped; nothing else is special.
export function copyText(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : text;
}

// An element of an array literal, quoted so commas, braces and quotes in it stay in it.
const arrayElement = (value: unknown) =>
  value === null || value === undefined ? "NULL" : `"${String(value).replace(/[\\"]/g, "\\$&")}"`;

// One value as a COPY field: null as \N, booleans as t/f, times as ISO text, arrays as array
// literals, other objects as JSON.
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "string") return copyText(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return copyText(`{${value.map(arrayElement).join(",")}}`);
  return copyText(JSON.stringify(value));
}

// The driver's own client behind a drizzle transaction: COPY is not a statement drizzle can send.
// Only a transaction's: a pool would run the COPY on whichever connection is free, away from the
// transaction's temporary tables.
function transactionClient(tx: DbOrTx): Sql {
  const client = (tx as unknown as { session?: { client?: Sql & { savepoint?: unknown } } }).session?.client;
  if (!client || typeof client.savepoint !== "function") throw new Error("COPY needs a transaction");
  return client;
}

const LINES_PER_WRITE = 500;

// A row's values, in its columns' order, as one line.
export function copyLine(values: readonly unknown[]): string {
  return `${values.map(copyField).join("\t")}\n`;
}

// Lines, each a row's fields joined by tabs and ended by a newline, into `table (columns)` on the
// given connection (the demo seed's, or a transaction's: copyIn).
export async function copyLines(client: Sql, table: string, columns: string, lines: readonly string[]) {
  if (lines.length === 0) return;
  const stream = await client.unsafe(`copy ${table} (${columns}) from stdin`).writable();
  // Settles when PostgreSQL has taken every row, or fails with its reason (a value that does not
  // fit its column; the driver is patched so this reaches us: db/patch-postgres-driver.mjs).
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  done.catch(() => {}); // awaited below; a failure while lines are still being written ends the loop
  for (let i = 0; i < lines.length; i += LINES_PER_WRITE) {
    const more = stream.write(lines.slice(i, i + LINES_PER_WRITE).join(""));
    if (!more) await Promise.race([new Promise((resolve) => stream.once("drain", resolve)), done]);
    if (stream.destroyed) break;
  }
  if (!stream.destroyed) stream.end();
  await done;
}

// The same, in a drizzle transaction.
export async function copyIn(tx: DbOrTx, table: string, columns: string, lines: readonly string[]) {
  await copyLines(transactionClient(tx), table, columns, lines);
}

// A column of a row set sent by COPY: its name, its type, and its value in a row.
export type Column<T> = readonly [name: string, type: string, value: (row: T) => unknown];

// Rows into a temporary table of the transaction's own, made on first use and emptied on the next
// (a table made in the same transaction is emptied in place), then read by the statement that
// follows as any table.
export async function copyToTemporary<T>(tx: DbOrTx, table: string, columns: readonly Column<T>[], rows: readonly T[]) {
  const client = transactionClient(tx);
  await client.unsafe(
    `create temp table if not exists ${table} (${columns.map(([name, type]) => `${name} ${type}`).join(", ")}) on commit drop`,
  );
  await client.unsafe(`truncate ${table}`);
  // Read column by column into the line: no array of values per row, for a million rows.
  const lines = rows.map((row) => {
    let line = copyField(columns[0][2](row));
    for (let i = 1; i < columns.length; i++) line += `\t${copyField(columns[i][2](row))}`;
    return `${line}\n`;
  });
  await copyLines(client, table, columns.map(([name]) => name).join(", "), lines);
}
