import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { mayStartSql, WAITING_REASON_TEXT, waitingSkipReason } from "@/lib/backup/rules";

// An ingested claim whose evidence (or whose 686c) has not arrived may not start, forced or not:
// the rule in TypeScript and its SQL twin in lib/backup/rules.ts.

describe("what an ingested claim waits for", () => {
  it.each([
    ["evidence", "waiting_for_evidence"],
    ["parent_claim", "waiting_for_parent_claim"],
    [null, null],
  ] as const)("waiting_for %s → %s", (waitingFor, reason) => {
    expect(waitingSkipReason(waitingFor)).toBe(reason);
  });

  it("explains each reason in words", () => {
    for (const text of Object.values(WAITING_REASON_TEXT)) expect(text).toMatch(/^[a-z].{8,}/);
  });

  it("the SQL twin adds `waiting_for is null` when given the column, for force too", () => {
    const dialect = new PgDialect();
    const text = (force: boolean, withWaiting: boolean) =>
      dialect.sqlToQuery(
        mayStartSql(
          {
            triageState: sql`m.triage_state`,
            inFlightSince: sql`bs.in_flight_since`,
            ...(withWaiting ? { waitingFor: sql`m.waiting_for` } : {}),
          },
          force,
        ),
      ).sql;
    for (const force of [false, true]) {
      expect(text(force, true)).toMatch(/and m\.waiting_for is null\)$/);
      expect(text(force, false)).not.toMatch(/waiting_for/);
    }
  });
});
