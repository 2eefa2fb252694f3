import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, describe, expect, it } from "vitest";
import { idArray, textArray } from "@/db/bind-array";
import { createDb } from "@/db/client";

// Lists of ids bound as one array parameter, against PostgreSQL as the web app (plain statements)
// and the worker (prepared statements, inside transactions) send them.

const url = process.env.DATABASE_URL!;
const plain = createDb(url, { max: 1 });
const prepared = createDb(url, { max: 1, prepareStatements: true });
afterAll(async () => {
  await plain.close();
  await prepared.close();
});

const values = async <T>(db: typeof plain.db, query: ReturnType<typeof sql>) =>
  (Array.from(await db.transaction((tx) => tx.execute(query))) as { v: T }[])[0].v;

describe("binding a list of ids", () => {
  it("sends one parameter whatever the length (an array interpolated as it is becomes a row of them)", () => {
    const dialect = new PgDialect();
    const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(dialect.sqlToQuery(sql`select ${ids}`).params).toHaveLength(1000);
    const bound = dialect.sqlToQuery(sql`select 1 where 5 = any(${idArray(ids)})`);
    expect(bound.params).toEqual([ids]);
    expect(bound.sql).toBe("select 1 where 5 = any($1::bigint[])");
  });

  for (const [name, { db }] of [
    ["plain", plain],
    ["prepared", prepared],
  ] as const) {
    it(`arrives as a bigint[] and matches with = any (${name})`, async () => {
      expect(await values<string[]>(db, sql`select ${idArray([3, 1, 2])} as v`)).toEqual(["3", "1", "2"]);
      expect(await values<boolean>(db, sql`select 2 = any(${idArray([3, 1, 2])}) as v`)).toBe(true);
      expect(await values<boolean>(db, sql`select 4 = any(${idArray([3, 1, 2])}) as v`)).toBe(false);
      expect(await values<number>(db, sql`select cardinality(${idArray([])}) as v`)).toBe(0);
      const many = Array.from({ length: 100_000 }, (_, i) => i + 1);
      expect(await values<number>(db, sql`select cardinality(${idArray(many)}) as v`)).toBe(100_000);
    });

    it(`keeps text whole, quotes, backslashes, commas, braces and the word NULL included (${name})`, async () => {
      const notes = ['say "hi"', "back\\slash", "a,b", "{x}", "NULL", "", " padded ", "ünïcode ✓"];
      expect(await values<string[]>(db, sql`select ${textArray(notes)} as v`)).toEqual(notes);
      const pairs = await db.transaction((tx) =>
        tx.execute(sql`select id, note from unnest(${idArray([1, 2])}, ${textArray(["x", 'y"'])}) as v(id, note)`),
      );
      expect(Array.from(pairs)).toEqual([
        { id: "1", note: "x" },
        { id: "2", note: 'y"' },
      ]);
    });
  }
});
