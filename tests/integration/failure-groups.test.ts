import { createHash, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { getFailureGroup, getGroupHistory } from "@/db/queries/failure-groups";
import { savedClaims, users } from "@/db/schema";
import { createBatch } from "@/lib/batches/create-batch";
import { excludeFailureGroup } from "@/lib/failure-groups/exclude-group";
import { reopenFailureGroups } from "@/lib/failure-groups/lifecycle";
import { type FailureGroupChange, updateFailureGroup } from "@/lib/failure-groups/update-group";
import { createClaimGroup } from "../support/claims-factory";

// A failure group as the team owns it, against the real database: figures from its claims, a
// person's changes audited, the worker's reopen rule on new failures, the exclusion of its claims.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
afterAll(async () => close());
const origin = { ip: null, userAgent: null };
let triager: { id: number; email: string };
let admin: { id: number; email: string };

beforeAll(async () => {
  [triager] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.role, "triager"));
  [admin] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.role, "admin"));
});

async function claimWithFingerprint(fingerprint: string) {
  const { mainClaimId } = await createClaimGroup(db, { submittedAt: new Date() });
  await db.update(savedClaims).set({ failureReason: fingerprint }).where(eq(savedClaims.id, mainClaimId));
  return mainClaimId;
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const change = (fingerprint: string, over: Partial<FailureGroupChange>): FailureGroupChange => ({
  fingerprint,
  status: "open",
  ownerUserId: null,
  notes: "",
  ticketUrl: "",
  ignoreUntilDay: null,
  ignoreUntilCount: null,
  ...over,
});

describe("failure groups", () => {
  it("counts a group's claims and owns, resolves and reopens it on a new failure, audited", async () => {
    const fingerprint = `Test failure ${randomUUID()} after <n> seconds`;
    await claimWithFingerprint(fingerprint);
    const before = await getFailureGroup(db, md5(fingerprint));
    expect(before).toMatchObject({ claims: 1, openClaims: 1, status: "open", ownerName: null });
    expect(before!.trend.reduce((a, b) => a + b, 0)).toBe(1);
    expect(before!.trend[29]).toBe(1);

    const owned = await updateFailureGroup(
      db,
      change(fingerprint, { status: "resolved", ownerUserId: triager.id, ticketUrl: "https://tickets.example/1" }),
      triager,
      origin,
    );
    expect(owned).toEqual({ ok: true, changed: ["status", "ownerUserId", "ticketUrl"] });
    expect(await reopenFailureGroups(db)).not.toContain(fingerprint);

    await claimWithFingerprint(fingerprint);
    expect(await reopenFailureGroups(db)).toContain(fingerprint);
    const after = await getFailureGroup(db, md5(fingerprint));
    expect(after).toMatchObject({ claims: 2, status: "open" });
    expect(after!.reopenedReason).toMatch(/^Reopened: 1 new failure since it was resolved on /);
    const history = await getGroupHistory(db, fingerprint);
    expect(history.map((h) => [h.action, h.userEmail])).toEqual([
      ["group.reopen", "worker"],
      ["group.update", triager.email],
    ]);
    // A second pass finds nothing more to do.
    expect(await reopenFailureGroups(db)).not.toContain(fingerprint);

    // A batch of the list filtered to the group (what the group's Resubmit creates) is in its history.
    const { batchId } = await createBatch(
      db,
      {
        name: "group batch",
        reason: "CT-1",
        source: "filter",
        user: triager,
        ratePerMinute: 60,
        start: false,
        filter: { failureReason: fingerprint },
      },
      { where: sql`failure_reason = ${fingerprint}` },
    );
    const withBatch = await getGroupHistory(db, fingerprint);
    expect(withBatch[0]).toMatchObject({ action: "batch.create", batchId });
  });

  it("keeps an ignored group ignored until its count of new failures, and refuses bad changes", async () => {
    const fingerprint = `Test ignored ${randomUUID()}`;
    await claimWithFingerprint(fingerprint);
    await updateFailureGroup(db, change(fingerprint, { status: "ignored", ignoreUntilCount: 2 }), triager, origin);
    await claimWithFingerprint(fingerprint);
    expect(await reopenFailureGroups(db)).not.toContain(fingerprint);
    await claimWithFingerprint(fingerprint);
    expect(await reopenFailureGroups(db)).toContain(fingerprint);

    expect(await updateFailureGroup(db, change(`${fingerprint} nobody`, {}), triager, origin)).toEqual({
      ok: false,
      error: "No claim has this failure reason any more.",
    });
    const [viewer] = await db.select({ id: users.id }).from(users).where(eq(users.role, "viewer"));
    expect(await updateFailureGroup(db, change(fingerprint, { ownerUserId: viewer.id }), triager, origin)).toEqual({
      ok: false,
      error: "The owner must be a triager or an admin.",
    });
  });

  it("reopens a group ignored until a day once the day has come", async () => {
    const fingerprint = `Test until a day ${randomUUID()}`;
    await claimWithFingerprint(fingerprint);
    await updateFailureGroup(
      db,
      change(fingerprint, { status: "ignored", ignoreUntilDay: "2030-01-01" }),
      triager,
      origin,
    );
    expect(await reopenFailureGroups(db)).not.toContain(fingerprint);
    expect(await reopenFailureGroups(db, new Date("2030-01-01T00:00:01Z"))).toContain(fingerprint);
  });

  it("excludes the group's claims through the claim exclusion, each audited, and the group's summary", async () => {
    const fingerprint = `Test exclude ${randomUUID()}`;
    const ids = [await claimWithFingerprint(fingerprint), await claimWithFingerprint(fingerprint)];
    const result = await excludeFailureGroup(db, { fingerprint, reason: "TICKET-9", user: admin, origin });
    expect(result).toEqual({ excluded: 2, refused: 0, remaining: 0 });
    const states = await db.execute<{ triage_state: string; excluded_reason: string }>(
      sql`select triage_state, excluded_reason from saved_claims where id in (${ids[0]}, ${ids[1]})`,
    );
    expect(states.map((s) => [s.triage_state, s.excluded_reason])).toEqual([
      ["excluded", "TICKET-9"],
      ["excluded", "TICKET-9"],
    ]);
    const perClaim = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_events where action = 'claim.exclude' and claim_ids && ${sql.raw(`array[${ids.join(",")}]::bigint[]`)}`,
    );
    expect(Number(perClaim[0].n)).toBe(2);
    expect((await getGroupHistory(db, fingerprint)).map((h) => h.action)).toEqual(["group.exclude"]);
  });
});
