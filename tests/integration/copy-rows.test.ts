import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { type Column, copyField, copyToTemporary } from "@/db/copy-rows";

// Row sets sent by COPY (the ingest's bulk: db/queries/ingest-claims.ts), against PostgreSQL, as
// the web app's pool (plain statements) and the worker's (prepared) send them: every value arrives
// as it was, whatever characters it holds.

const url = process.env.DATABASE_URL!;
const plain = createDb(url, { max: 1 });
const prepared = createDb(url, { max: 1, prepareStatements: true });
afterAll(async () => {
  await plain.close();
  await prepared.close();
});

type Row = { id: number; note: string | null; flag: boolean; tags: string[]; data: object | null; at: string };
const COLUMNS: readonly Column<Row>[] = [
  ["id", "bigint", (r) => r.id],
  ["note", "text", (r) => r.note],
  ["flag", "boolean", (r) => r.flag],
  ["tags", "text[]", (r) => r.tags],
  ["data", "jsonb", (r) => r.data],
  ["at", "timestamptz", (r) => r.at],
];

const awkward = [
  "tab\there",
  "new\nline",
  "carriage\rreturn",
  "back\\slash",
  "\\N",
  'say "hi"',
  "a,b",
  "{x}",
  "NULL",
  "",
  " padded ",
  "ünïcode ✓ 𝄞",
];

const rows: Row[] = awkward.map((note, i) => ({
  id: i + 1,
  note,
  flag: i % 2 === 0,
  tags: [note, "NULL", "plain"],
  data: { note, nested: [note, null, 1.5], "key\twith\\odd": true },
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
}));
rows.push({ id: 99, note: null, flag: false, tags: [], data: null, at: "2026-01-01T00:00:00.000Z" });

describe("a row set sent by COPY", () => {
  it("writes a field as COPY's text format reads it", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField(undefined)).toBe("\\N");
    expect(copyField(true)).toBe("t");
    expect(copyField(7)).toBe("7");
    expect(copyField(7n)).toBe("7");
    expect(copyField(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02T03:04:05.000Z");
    expect(copyField("a\tb\\c\nd\re")).toBe("a\\tb\\\\c\\nd\\re");
    expect(copyField(["x", 'y"', null])).toBe('{"x","y\\\\"",NULL}');
    expect(copyField({ a: "b\\c" })).toBe('{"a":"b\\\\\\\\c"}');
  });

  for (const [name, { db }] of [
    ["plain", plain],
    ["prepared", prepared],
  ] as const) {
    it(`arrives whole, every awkward character included (${name})`, async () => {
      const read = await db.transaction(async (tx) => {
        await copyToTemporary(tx, "copy_rows_test", COLUMNS, rows);
        return Array.from(
          await tx.execute<Row & { at: string }>(sql`select id::int as id, note, flag, tags, data,
            to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from copy_rows_test order by id`),
        );
      });
      expect(read).toEqual(rows);
    });

    it(`empties the table on the next use in the same transaction, and inside a savepoint (${name})`, async () => {
      const counts = await db.transaction(async (tx) => {
        await copyToTemporary(tx, "copy_rows_test", COLUMNS, rows);
        const first = await tx.execute<{ n: number }>(sql`select count(*)::int as n from copy_rows_test`);
        const second = await tx.transaction(async (sp) => {
          await copyToTemporary(sp, "copy_rows_test", COLUMNS, rows.slice(0, 2));
          return sp.execute<{ n: number }>(sql`select count(*)::int as n from copy_rows_test`);
        });
        return [Array.from(first)[0].n, Array.from(second)[0].n];
      });
      expect(counts).toEqual([rows.length, 2]);
    });
  }

  it("refuses to run outside a transaction, where the table would be on another connection", async () => {
    await expect(copyToTemporary(plain.db, "copy_rows_test", COLUMNS, rows)).rejects.toThrow(/needs a transaction/);
  });

  it("fails its transaction with PostgreSQL's reason when a value does not fit its column", async () => {
    const bad = { ...rows[0], at: "not a time" };
    // Refused after every row was sent, and refused while rows are still being written (tens of
    // megabytes after the bad one).
    const many = Array.from({ length: 50_000 }, (_, i) => ({ ...rows[0], id: i, note: "x".repeat(1000) }));
    for (const set of [
      [...rows, bad],
      [rows[0], bad, ...many],
    ]) {
      await expect(plain.db.transaction((tx) => copyToTemporary(tx, "copy_rows_test", COLUMNS, set))).rejects.toThrow(
        /invalid input syntax for type timestamp/,
      );
      // The transaction was rolled back and the connection is usable.
      const after = await plain.db.execute<{ v: number }>(sql`select 1 as v`);
      expect(Array.from(after)[0].v).toBe(1);
    }
  });
});
