import { eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { describeAction } from "@/components/audit/labels";
import { createDb, type Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { getAuditPage } from "@/db/queries/audit-log";
import { auditEvents } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { createClaimGroup } from "../support/claims-factory";

// The audit log as a record of refusals too: a resubmit that could not start and an action called
// above the caller's role are written as refused; a zip download names its files; the log exports as
// CSV, and the export is itself audited.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", async () => {
  const { hasRole } = await import("@/lib/auth/roles");
  const authorize = async (minimum: "viewer" | "triager" | "admin") => {
    if (!session.user) return { ok: false, status: 401, error: "Sign in to continue." };
    if (!hasRole(session.user, minimum))
      return { ok: false, status: 403, error: `This needs the ${minimum} role; you are a ${session.user.role}.` };
    return { ok: true, user: session.user };
  };
  return {
    authorize,
    requireApiUser: async (minimum: "viewer" | "triager" | "admin") => {
      const result = await authorize(minimum);
      return result.ok ? result.user : Response.json({ error: result.error }, { status: result.status });
    },
  };
});
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "10.0.0.7" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { resubmitClaim } = await import("@/lib/actions/claims/resubmit-claim");
const { resubmitClaims } = await import("@/lib/actions/claims/resubmit-claims");
const { excludeClaim } = await import("@/lib/actions/claims/exclude-claim");
const { GET: exportAudit } = await import("@/app/api/audit/export/route");

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 3 });
afterAll(async () => {
  const { getBoss } = await import("@/lib/jobs/boss");
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});
beforeEach(() => {
  session.user = null;
});

async function user(role: SessionUser["role"]): Promise<SessionUser> {
  const [row] = await db.execute<{ id: number; email: string; name: string }>(
    sql`select id::int, email, name from users where email = ${`${role}@example.com`}`,
  );
  return { id: Number(row.id), email: row.email, name: row.name, role };
}

const lastEvent = async (action: string) =>
  (await db.select().from(auditEvents).where(eq(auditEvents.action, action)).orderBy(sql`id desc`).limit(1))[0];

describe("refusals in the audit log", () => {
  it("records a resubmit of an excluded claim as refused, with why", async () => {
    session.user = await user("admin");
    const { mainClaimId } = await createClaimGroup(db as Db);
    expect(await excludeClaim({ claimId: mainClaimId, reason: "REF-1 parked" })).toHaveProperty("data");
    const result = await resubmitClaim({ claimId: mainClaimId, reason: "REF-1 try anyway" });
    expect(result).toMatchObject({ data: { started: false, reason: "excluded" } });
    const event = await lastEvent("claim.resubmit_refused");
    expect(event).toMatchObject({
      claimIds: [mainClaimId],
      reason: "REF-1 try anyway",
      userEmail: "admin@example.com",
    });
    expect(event.details).toMatchObject({ started: false, skipped: "excluded" });
    expect(describeAction(event.action, event.details)).toBe("Refused: resubmit a claim");
  });

  it("records a viewer's forged call to a triager's action as refused, and changes nothing else", async () => {
    session.user = await user("viewer");
    const batchesBefore = await db.execute<{ n: number }>(sql`select count(*)::int as n from batches`);
    const result = await resubmitClaims({ selection: { kind: "ids", ids: [1] }, reason: "forged" });
    expect(result).toEqual({ error: "This needs the triager role; you are a viewer." });
    const event = await lastEvent("action.refused");
    expect(event).toMatchObject({ userEmail: "viewer@example.com", ip: "10.0.0.7", claimCount: 0 });
    expect(event.details).toEqual({ action: "claims.resubmit", need: "triager", role: "viewer" });
    const batchesAfter = await db.execute<{ n: number }>(sql`select count(*)::int as n from batches`);
    expect(batchesAfter[0].n).toBe(batchesBefore[0].n);
  });
});

describe("document events", () => {
  it("tells a preview, a download and a zip apart, and names the zip's files", async () => {
    const admin = await user("admin");
    // Two stamped files of a seeded attempt (the demo seed stores none), named as the backup names them.
    const docs = await db.execute<{ id: number; file_name: string }>(sql`
      insert into documents (attempt_id, claim_id, role, position, form_type, file_name, byte_size, page_count,
        sha256, storage_key)
      select a.id, a.claim_id, 'attachment', 900 + n, 'attachment', 'claim-' || a.claim_id || '-evidence-' || n || '.pdf',
        1000, 1, repeat('0', 64), 'test/' || n
      from (select id, claim_id from backup_attempts order by id desc limit 1) a, generate_series(1, 2) n
      returning id::int, file_name`);
    const documentIds = docs.map((d) => Number(d.id));
    await recordAudit(db, { user: admin, action: "document.download", details: { zip: true, documentIds } });
    const [row] = await getAuditPage(db, { filter: { action: "document.download" }, pageIndex: 0, pageSize: 1 });
    expect(describeAction(row.action, row.details)).toBe("Downloaded a zip of 2 PDFs");
    expect(row.zipFiles).toEqual(docs.map((d) => ({ id: Number(d.id), name: d.file_name })));
    expect(describeAction("document.download", { disposition: "inline", documentId: 1 })).toBe("Previewed a PDF");
    expect(describeAction("document.download", { disposition: "attachment", documentId: 1 })).toBe("Downloaded a PDF");
    expect(describeAction("document.download", { zip: true, documentIds: [1] })).toBe("Downloaded a zip of 1 PDF");
  });
});

describe("the audit CSV export", () => {
  it("exports the filtered events for admins, audited, and refuses anyone else", async () => {
    session.user = await user("triager");
    expect((await exportAudit(new Request("http://localhost/api/audit/export"))).status).toBe(403);

    session.user = await user("admin");
    const response = await exportAudit(
      new Request("http://localhost/api/audit/export?action=claim.resubmit_refused&from=2000-01-01"),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "at,user_email,user_name,action,claim_count,claim_ids_sample,batch_id,reason,details,ip,user_agent",
    );
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(",claim.resubmit_refused,"))).toBe(true);
    const exported = await lastEvent("audit.export");
    expect(exported.userEmail).toBe("admin@example.com");
    expect(exported.details).toMatchObject({
      filter: { action: "claim.resubmit_refused", from: "2000-01-01" },
      rows: lines.length - 1,
    });
  });
});
