import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { isStatementTimeout, STATEMENT_TIMEOUT_MESSAGE } from "@/lib/statement-timeout";
import { seededUserSession } from "../support/fake-session";

// The web's pool cancels a statement that runs past DATABASE_STATEMENT_TIMEOUT_MS, and the person
// who asked reads why instead of waiting on a request that never ends. The worker's and the
// migrations' pools are made without it (db/client.ts) and keep their long statements.

const TIMEOUT_MS = 400;
// Set before anything reads the environment: lib/db.ts builds the web's pool from it.
process.env.DATABASE_STATEMENT_TIMEOUT_MS = String(TIMEOUT_MS);

const session = vi.hoisted(() => ({ email: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.email ? seededUserSession(db, session.email) : null),
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const url = process.env.DATABASE_URL!;
const { db, close } = createDb(url, { max: 2 }); // as the worker makes its pool: no time-out
let closeWeb = async () => {};

beforeAll(async () => {
  const { getDatabase } = await import("@/lib/db");
  closeWeb = getDatabase().close;
});
afterAll(async () => {
  await closeWeb();
  await close();
});

async function failureOf(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error("the statement was not stopped");
}

describe("statement_timeout on the web's pool", () => {
  it("is set on every connection of the web's pool, and not on a pool made without it", async () => {
    const { getDb } = await import("@/lib/db");
    const [web] = await getDb().execute<{ statement_timeout: string }>(sql`show statement_timeout`);
    expect(web.statement_timeout).toBe(`${TIMEOUT_MS}ms`);
    const [worker] = await db.execute<{ statement_timeout: string }>(sql`show statement_timeout`);
    expect(worker.statement_timeout).toBe("0");
  });

  it("cancels a slow statement through the web's pool; the same statement runs on a pool without it", async () => {
    const { getDb } = await import("@/lib/db");
    const started = Date.now();
    const error = await failureOf(() => getDb().execute(sql`select pg_sleep(30)`));
    expect(isStatementTimeout(error)).toBe(true);
    // Cancelled at the limit, long before the statement would have ended (a generous bound).
    expect(Date.now() - started).toBeLessThan(15_000);
    // The pool's connection is usable again at once.
    const [again] = await getDb().execute<{ one: number }>(sql`select 1 as one`);
    expect(Number(again.one)).toBe(1);
    await expect(db.execute(sql`select pg_sleep(${(TIMEOUT_MS * 2) / 1000})`)).resolves.toBeDefined();
  });

  it("cancels a statement stuck behind a lock, and the action says so in words, changing nothing", async () => {
    const { dryRunResubmit } = await import("@/lib/actions/claims/dry-run-resubmit");
    const { resubmitClaims } = await import("@/lib/actions/claims/resubmit-claims");
    session.email = "triager@example.com";
    const [before] = await db.execute<{ n: number }>(sql`select count(*)::int as n from batches`);
    // Another session holds the claims table: every read of it waits, as behind a runaway query.
    const held = createDb(url, { max: 1 });
    let release = () => {};
    const holding = held.sql.begin(async (tx) => {
      await tx`lock table saved_claims in access exclusive mode`;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const selection = { kind: "filter" as const, filter: { triageStates: ["never_tried" as const] } };
      const dryRun = await dryRunResubmit({ selection });
      expect(dryRun).toEqual({ error: STATEMENT_TIMEOUT_MESSAGE });
      const resubmit = await resubmitClaims({ selection, reason: "TICKET-14" });
      expect(resubmit).toEqual({ error: STATEMENT_TIMEOUT_MESSAGE });
    } finally {
      release();
      await holding;
      await held.close();
    }
    const [after] = await db.execute<{ n: number }>(sql`select count(*)::int as n from batches`);
    expect(after.n).toBe(before.n);
  });
});
