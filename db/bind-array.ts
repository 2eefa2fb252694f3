import { type SQL, sql } from "drizzle-orm";

// A JS array bound as ONE parameter, typed as a PostgreSQL array: `id = any(${idArray(ids)})`.
// One parameter whatever the length, so a list of 100,000 ids is not 100,000 bind parameters and
// the statement text is the same for every length (the worker prepares it once). drizzle expands a
// plain `${ids}` into a row, `($1, $2, $3)`, which is no array; `sql.param` hands the array to
// postgres.js as it is, and postgres.js writes the array literal, quoting and escaping each element
// (tests/integration/bind-array.test.ts holds it to that against PostgreSQL).

export function idArray(ids: readonly number[]): SQL {
  return sql`${sql.param(ids)}::bigint[]`;
}

export function textArray(values: readonly string[]): SQL {
  return sql`${sql.param(values)}::text[]`;
}
