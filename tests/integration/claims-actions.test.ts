import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { idArray } from "@/db/bind-array";
import { createDb } from "@/db/client";
import { auditEvents, backupSubmissions, batches, batchItems, savedClaims } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";

// The claims' server actions called as the browser would, with the session mocked: each re-checks
// the role and re-validates its input on the server, whatever the page showed.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", async () => {
  const { hasRole } = await import("@/lib/auth/roles");
  return {
    authorize: async (minimum: "viewer" | "triager" | "admin") => {
      if (!session.user) return { ok: false, status: 401, error: "Sign in to continue." };
      if (!hasRole(session.user, minimum))
        return { ok: false, status: 403, error: `This needs the ${minimum} role; you are a ${session.user.role}.` };
      return { ok: true, user: session.user };
    },
  };
});
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "10.0.0.9" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { dryRunResubmit } = await import("@/lib/actions/claims/dry-run-resubmit");
const { resubmitClaims } = await import("@/lib/actions/claims/resubmit-claims");
const { excludeClaim } = await import("@/lib/actions/claims/exclude-claim");
const { unexcludeClaim } = await import("@/lib/actions/claims/unexclude-claim");

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
afterAll(async () => {
  const { getBoss } = await import("@/lib/jobs/boss");
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});

async function user(role: SessionUser["role"]): Promise<SessionUser> {
  const [row] = await db.execute<{ id: number; email: string; name: string }>(
    sql`select id::int, email, name from users where email = ${`${role}@example.com`}`,
  );
  return { id: Number(row.id), email: row.email, name: row.name, role };
}
beforeEach(() => {
  session.user = null;
});

type Row = { id: number; form_type: string; triage_state: string; main_claim_id: number; in_flight: boolean };
async function claimsOfBatch(batchId: number) {
  return Array.from(
    await db.execute(sql`
    select c.id::int, c.form_type, m.triage_state, m.id::int as main_claim_id,
      bs.in_flight_since is not null as in_flight
    from saved_claims c join saved_claims m on m.id = coalesce(c.main_claim_id, c.id)
      left join backup_submissions bs on bs.claim_id = m.id
    where c.latest_batch_id = ${batchId}`),
  ) as unknown as Row[];
}

describe("dryRunResubmit", () => {
  it("refuses viewers and anonymous callers", async () => {
    const input = { selection: { kind: "filter" as const, filter: { batchId: 1 } }, force: false };
    expect(await dryRunResubmit(input)).toEqual({ error: "Sign in to continue." });
    session.user = await user("viewer");
    expect(await dryRunResubmit(input)).toEqual({ error: "This needs the triager role; you are a viewer." });
  });

  it("counts forms, backups and skips exactly as startBackup would decide them", async () => {
    session.user = await user("triager");
    const rows = await claimsOfBatch(1);
    const mains = new Map(rows.map((r) => [r.main_claim_id, r]));
    for (const force of [false, true]) {
      const result = await dryRunResubmit({ selection: { kind: "filter", filter: { batchId: 1 } }, force });
      if (!("data" in result)) throw new Error(result.error);
      const d = result.data;
      expect(d.selectedClaims).toBe(rows.length);
      const byFormType: Record<string, number> = {};
      for (const r of rows) byFormType[r.form_type] = (byFormType[r.form_type] ?? 0) + 1;
      expect(Object.fromEntries(d.byFormType.map((f) => [f.formType, f.count]))).toEqual(byFormType);
      expect(d.backups).toBe(mains.size);
      const submitted = [...mains.values()].filter(
        (m) => m.triage_state === "submitted" || m.triage_state === "confirmed",
      ).length;
      const skippedSubmitted = d.skipped.find((s) => s.reason === "already_submitted")?.count ?? 0;
      expect(skippedSubmitted).toBe(force ? 0 : submitted);
      expect(d.willStart + d.skipped.reduce((n, s) => n + s.count, 0)).toBe(mains.size);
    }
  });

  it("flags claims whose metadata Benefits Intake will reject, with the problem and never the value", async () => {
    session.user = await user("triager");
    const result = await dryRunResubmit({
      selection: { kind: "filter", filter: { triageStates: ["never_tried"] } },
      force: false,
    });
    if (!("data" in result)) throw new Error(result.error);
    const { invalidMetadata } = result.data;
    expect(invalidMetadata.count).toBeGreaterThan(0);
    expect(invalidMetadata.complete).toBe(true);
    expect(invalidMetadata.sample.length).toBe(Math.min(20, invalidMetadata.count));
    for (const s of invalidMetadata.sample) {
      expect(s.problems.join(" ")).toMatch(/file number|name|zip/);
      const [claim] = await db
        .select({ fileNumber: savedClaims.fileNumber })
        .from(savedClaims)
        .where(eq(savedClaims.id, s.claimId));
      expect(s.problems.join(" ")).not.toContain(claim.fileNumber);
    }
    // The SQL shortcut for plainly valid rows agrees with buildMetadata over every never-tried main claim.
    const { buildMetadata } = await import("@/lib/benefits-intake/metadata");
    const all = Array.from(
      await db.execute(sql`
      select veteran_first_name, veteran_last_name, file_number, zip_code, form_type, submitted_at::text as submitted_at
      from saved_claims
      where triage_state = 'never_tried' and id = coalesce(main_claim_id, id)`),
    ) as unknown as Record<string, string>[];
    const invalid = all.filter(
      (c) =>
        !buildMetadata({
          veteranFirstName: c.veteran_first_name,
          veteranLastName: c.veteran_last_name,
          fileNumber: c.file_number,
          zipCode: c.zip_code,
          formType: c.form_type as "21-526EZ",
          submittedAt: new Date(),
        }).ok,
    ).length;
    expect(invalidMetadata.count).toBe(invalid);
  });

  it("rejects more than 1,000 explicit ids and malformed filters", async () => {
    session.user = await user("triager");
    const tooMany = await dryRunResubmit({
      selection: { kind: "ids", ids: Array.from({ length: 1001 }, (_, i) => i + 1) },
      force: false,
    });
    expect(tooMany).toMatchObject({ error: expect.stringContaining("not valid") });
    const bad = await dryRunResubmit({
      selection: { kind: "filter", filter: { triageStates: ["deleted"] } } as never,
      force: false,
    });
    expect(bad).toMatchObject({ error: expect.stringContaining("not valid") });
    const sneaky = await dryRunResubmit({
      selection: { kind: "filter", filter: { frozenAt: "2099-01-01" } } as never,
      force: false,
    });
    expect(sneaky).toMatchObject({ error: expect.stringContaining("not valid") });
  });
});

describe("resubmitClaims", () => {
  it("refuses a viewer, changing nothing", async () => {
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(batches);
    session.user = await user("viewer");
    const result = await resubmitClaims({ selection: { kind: "ids", ids: [1] }, reason: "TRIAGE-1", force: false });
    expect(result).toEqual({ error: "This needs the triager role; you are a viewer." });
    expect(await db.select({ n: sql<number>`count(*)::int` }).from(batches)).toEqual(before);
  });

  it("needs a reason, and an explicit yes for an empty filter", async () => {
    session.user = await user("triager");
    expect(await resubmitClaims({ selection: { kind: "ids", ids: [1] }, reason: " ", force: false })).toMatchObject({
      fieldErrors: { reason: [expect.stringContaining("reason")] },
    });
    expect(
      await resubmitClaims({ selection: { kind: "filter", filter: {} }, reason: "TRIAGE-2", force: false }),
    ).toEqual({ error: expect.stringContaining("every claim") });
  });

  it("freezes a filter into a batch of main claims, stores the bounded filter and audits the reason", async () => {
    session.user = await user("triager");
    const [child] = await db.execute<{ guid: string; main: number }>(
      sql`select guid::text, main_claim_id::int as main from saved_claims
        where form_type = '21-674' and triage_state = 'never_tried' limit 1`,
    );
    const result = await resubmitClaims({
      selection: { kind: "filter", filter: { q: child.guid } },
      reason: "TRIAGE-3 one child",
      force: false,
    });
    if (!("data" in result)) throw new Error(result.error);
    expect(result.data.href).toBe(`/batches/${result.data.batchId}`);
    expect(result.data.itemCount).toBe(1);
    const [batch] = await db.select().from(batches).where(eq(batches.id, result.data.batchId));
    expect(batch).toMatchObject({ source: "filter", reason: "TRIAGE-3 one child", state: "queued", force: 0 });
    expect(batch.filter).toMatchObject({ q: child.guid, frozenAt: expect.any(String) });
    const items = await db
      .select({ claimId: batchItems.claimId })
      .from(batchItems)
      .where(eq(batchItems.batchId, batch.id));
    expect(items).toEqual([{ claimId: Number(child.main) }]);
    const [audit] = await db.select().from(auditEvents).where(eq(auditEvents.batchId, batch.id));
    expect(audit).toMatchObject({
      userEmail: "triager@example.com",
      reason: "TRIAGE-3 one child",
      claimCount: 1,
      ip: "10.0.0.9",
    });
    // Park it: no worker runs in this test, and a later one must not pick it up.
    await db.update(batches).set({ state: "cancelled" }).where(eq(batches.id, batch.id));
  });
});

describe("exclude and un-exclude", () => {
  it("parks a whole group with a reason and brings it back to what its history says", async () => {
    const [child] = await db.execute<{ id: number; main: number }>(sql`
      select c.id::int, c.main_claim_id::int as main from saved_claims c join saved_claims m on m.id = c.main_claim_id
      where c.form_type = '21-674' and m.triage_state = 'never_tried' and m.attempt_count = 0 and m.duplicate_of is null
      limit 1`);
    const group = () =>
      db
        .select({ state: savedClaims.triageState, reason: savedClaims.excludedReason })
        .from(savedClaims)
        .where(eq(savedClaims.mainClaimId, Number(child.main)));

    session.user = await user("triager");
    expect(await excludeClaim({ claimId: child.id, reason: "TRIAGE-4" })).toEqual({
      error: "This needs the admin role; you are a triager.",
    });

    session.user = await user("admin");
    expect(await excludeClaim({ claimId: child.id, reason: "TRIAGE-4 veteran asked" })).toEqual({
      data: { ok: true, mainClaimId: Number(child.main), triageState: "excluded" },
    });
    expect(new Set((await group()).map((c) => `${c.state}|${c.reason}`))).toEqual(
      new Set(["excluded|TRIAGE-4 veteran asked"]),
    );
    expect(await excludeClaim({ claimId: child.id, reason: "again" })).toEqual({
      error: expect.stringContaining("already excluded"),
    });

    // Resubmitting an excluded claim is skipped, and the dry run says so.
    session.user = await user("triager");
    const dry = await dryRunResubmit({ selection: { kind: "ids", ids: [child.id] }, force: true });
    expect(dry).toMatchObject({ data: { willStart: 0, skipped: [{ reason: "excluded", count: 1 }] } });

    session.user = await user("admin");
    expect(await unexcludeClaim({ claimId: Number(child.main), reason: "TRIAGE-4 back" })).toMatchObject({
      data: { triageState: "never_tried" },
    });
    expect(new Set((await group()).map((c) => `${c.state}|${c.reason}`))).toEqual(new Set(["never_tried|null"]));
    const audits = await db
      .select({ action: auditEvents.action, reason: auditEvents.reason })
      .from(auditEvents)
      .where(sql`${auditEvents.claimIds} @> ${idArray([Number(child.main)])} and ${auditEvents.action} like 'claim.%'`);
    expect(audits).toEqual(
      expect.arrayContaining([
        { action: "claim.exclude", reason: "TRIAGE-4 veteran asked" },
        { action: "claim.unexclude", reason: "TRIAGE-4 back" },
      ]),
    );
  });

  it("refuses to exclude a claim whose backup is in flight", async () => {
    const [row] = await db.execute<{ claim_id: number }>(sql`
      select bs.claim_id::int from backup_submissions bs join saved_claims c on c.id = bs.claim_id
      where c.triage_state = 'failed' and bs.in_flight_since is null limit 1`);
    const claimId = Number(row.claim_id);
    await db.update(backupSubmissions).set({ inFlightSince: new Date() }).where(eq(backupSubmissions.claimId, claimId));
    try {
      session.user = await user("admin");
      expect(await excludeClaim({ claimId, reason: "TRIAGE-5" })).toEqual({
        error: expect.stringContaining("queued or running"),
      });
      const [claim] = await db
        .select({ state: savedClaims.triageState })
        .from(savedClaims)
        .where(eq(savedClaims.id, claimId));
      expect(claim.state).toBe("failed");
    } finally {
      await db.update(backupSubmissions).set({ inFlightSince: null }).where(eq(backupSubmissions.claimId, claimId));
    }
  });
});
