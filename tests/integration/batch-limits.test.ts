import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { batches, savedClaims } from "@/db/schema";
import { BatchTooLargeError } from "@/lib/batches/batch-limit";
import { createBatch } from "@/lib/batches/create-batch";
import { computeDryRun } from "@/lib/claims/dry-run";
import { createClaimGroups, testVeteran } from "../support/claims-factory";
import { seededUserSession } from "../support/fake-session";

// Limits on a large selection (#14.3): one batch holds at most BATCH_MAX_CLAIMS backups, refused
// whole (rolled back) above it, and the dry run says so before; a dry run of a very large
// selection is worked out on a sample and says it is an estimate.

const CAP = 5;
process.env.BATCH_MAX_CLAIMS = String(CAP); // read by lib/env.ts when the action first asks

const session = vi.hoisted(() => ({ email: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.email ? seededUserSession(db, session.email) : null),
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 3 });
afterAll(async () => {
  const { getBoss } = await import("@/lib/jobs/boss");
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});

const batchCount = async () =>
  Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from batches`))[0].n);

async function claimsNamed(lastName: string, n: number) {
  const groups = await createClaimGroups(
    db,
    Array.from({ length: n }, () => testVeteran({ lastName })),
  );
  return groups.map((g) => g.mainClaimId);
}

describe("the batch cap", () => {
  it("creates a batch of exactly the cap, and refuses one over it without leaving anything behind", async () => {
    const ids = await claimsNamed("Capexact", CAP + 1);
    const user = { id: 1, email: "triager@example.com" };
    const input = { name: "cap", reason: "test", source: "filter" as const, user, ratePerMinute: 60, start: false };
    const atCap = await createBatch(db, input, { claimIds: ids.slice(0, CAP) });
    expect(atCap.itemCount).toBe(CAP);

    const before = await batchCount();
    await expect(createBatch(db, input, { claimIds: ids })).rejects.toBeInstanceOf(BatchTooLargeError);
    expect(await batchCount()).toBe(before);
    await db.delete(batches).where(eq(batches.id, atCap.batchId));
  });

  it("the dialog's dry run names the cap, and a resubmit over it is refused in words", async () => {
    const { dryRunResubmit } = await import("@/lib/actions/claims/dry-run-resubmit");
    const { resubmitClaims } = await import("@/lib/actions/claims/resubmit-claims");
    session.email = "triager@example.com";
    await claimsNamed("Capover", CAP + 2);
    const selection = { kind: "filter" as const, filter: { q: "Capover" } };

    const dryRun = await dryRunResubmit({ selection });
    if (!("data" in dryRun)) throw new Error(dryRun.error);
    expect(dryRun.data).toMatchObject({ batchLimit: CAP, backups: CAP + 2, sampled: null });

    const before = await batchCount();
    const result = await resubmitClaims({ selection, reason: "TICKET-14" });
    expect(result).toEqual({ error: expect.stringMatching(/more than 5 backups, the most one batch may hold/) });
    expect(await batchCount()).toBe(before);
  });

  it("a retry list longer than the cap is refused as a file to split", async () => {
    const { previewRetryList } = await import("@/lib/batches/import-retry-list");
    const { RetryListFileError } = await import("@/lib/batches/parse-retry-list");
    const csv = `claim_id\n${Array.from({ length: CAP + 1 }, (_, i) => i + 1).join("\n")}\n`;
    const file = (async function* () {
      yield new TextEncoder().encode(csv);
    })();
    const preview = previewRetryList(db, { name: "list.csv", bytes: file }, { dedupe: "newest" });
    await expect(preview).rejects.toBeInstanceOf(RetryListFileError);
    await expect(preview).rejects.toThrow(/more than 5 rows\. Split the list/);
  });
});

describe("the dry run of a very large selection", () => {
  it("counts claims by form exactly, estimates the rest from a sample, and says so", async () => {
    const everything = sql`true`;
    // Exact whatever the size of the shared test database: other suites' claims are in it too (the
    // file import's test alone writes 20,000, past the default limit of exact counting).
    const exact = await computeDryRun(db, everything, { force: false, exactLimit: Number.MAX_SAFE_INTEGER });
    expect(exact.sampled).toBeNull();
    expect(exact.invalidMetadata.complete).toBe(true);

    // The test database is small: sample it as a million-claim one would be (about 1 in 3 pages).
    const total = exact.selectedClaims;
    const options = { force: false, exactLimit: 100, sampleClaims: Math.round(total / 3) };
    const sampled = await computeDryRun(db, everything, options);
    expect(sampled.sampled).not.toBeNull();
    expect(sampled.sampled!.examined).toBeGreaterThan(0);
    expect(sampled.sampled!.examined).toBeLessThan(total);
    expect(sampled.selectedClaims).toBe(total);
    expect(sampled.byFormType).toEqual(exact.byFormType);
    expect(sampled.invalidMetadata.complete).toBe(false);
    // Estimates, in the range of the exact figures (a third of the pages of a small table is a
    // coarse sample; the bench measures the error at a million claims).
    for (const key of ["backups", "willStart"] as const) {
      expect(sampled[key]).toBeGreaterThan(exact[key] * 0.5);
      expect(sampled[key]).toBeLessThan(exact[key] * 1.5);
    }
    // The same pages each time: asking again gives the same estimate.
    expect(await computeDryRun(db, everything, options)).toEqual(sampled);
  });

  it("stays exact for a selection under the limit, however large the table", async () => {
    const ids = await claimsNamed("Smallsel", 3);
    const where = sql`${savedClaims.id} = any(${`{${ids.join(",")}}`}::bigint[])`;
    const dryRun = await computeDryRun(db, where, { force: false, exactLimit: 100, sampleClaims: 10 });
    expect(dryRun).toMatchObject({ selectedClaims: 3, backups: 3, sampled: null });
  });
});
