import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { MIGRATIONS_DIR } from "@/db/migrate";
import { auditEvents, backupAttempts, backupSubmissions, batches, documents } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { createClaimGroup, testVeteran } from "../support/claims-factory";

// #13.4 and #13.5 seen from the pages: what the batches list, a batch page and a claim page hand to
// their components (everything they render from), for a viewer and for a triager. A
// search for a last name became a batch's name, shown to viewers; a resubmit's typed reason and an
// attachment's file name were shown to them too. A triager's look at a claim's PII is audited, once
// per window.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", async () => {
  const { hasRole } = await import("@/lib/auth/roles");
  const authorize = async (minimum: "viewer" | "triager" | "admin") => {
    if (!session.user) return { ok: false, status: 401, error: "Sign in to continue.", refusal: "no_session" };
    if (!hasRole(session.user, minimum))
      return { ok: false, status: 403, error: `This needs the ${minimum} role.`, refusal: "role" };
    return { ok: true, user: session.user };
  };
  return {
    authorize,
    requirePageUser: async (minimum: "viewer" | "triager" | "admin" = "viewer") => {
      const result = await authorize(minimum);
      if (!result.ok) throw new Error(`page refused: ${result.error}`);
      return result.user;
    },
    requireApiUser: async (minimum: "viewer" | "triager" | "admin") => {
      const result = await authorize(minimum);
      return result.ok ? result.user : Response.json({ error: result.error }, { status: result.status });
    },
  };
});
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "vitest", "x-forwarded-for": "198.51.100.23" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { resubmitClaims } = await import("@/lib/actions/claims/resubmit-claims");
const { default: BatchPage } = await import("@/app/(app)/batches/[id]/page");
const { BatchesSection } = await import("@/app/(app)/batches/batches-section");
const { default: ClaimPage } = await import("@/app/(app)/claims/[id]/page");

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });

// A last name no seeded veteran has, so finding it anywhere means it leaked from this test's claim.
const LAST_NAME = "Quillfeatherson";
const REASON = `Called ${LAST_NAME}'s daughter, ticket 4411`;
const ATTACHMENT = `DD214 ${LAST_NAME} discharge.pdf`;
const veteran = testVeteran({ firstName: "Marisol", lastName: LAST_NAME });
let claimId: number;
let batchId: number;
let oldBatchId: number;

async function as(role: SessionUser["role"]) {
  const [row] = await db.execute<{ id: number; email: string; name: string }>(
    sql`select id::int, email, name from users where email = ${`${role}@example.com`}`,
  );
  session.user = { id: Number(row.id), email: row.email, name: row.name, role };
  return session.user;
}

// Everything a server component hands down, as text: React elements are plain objects whose props
// carry the data; functions (components, handlers) drop out.
function propsText(tree: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(tree, (key, value) => {
    if (key.startsWith("_") || key === "type" || typeof value === "symbol") return undefined;
    if (value && typeof value === "object") {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  });
}

const leaks = (text: string) =>
  [LAST_NAME, veteran.fileNumber, veteran.email, "DD214", "discharge", "daughter", "4411"].filter((s) =>
    text.includes(s as string),
  );

beforeAll(async () => {
  ({ mainClaimId: claimId } = await createClaimGroup(db, { veteran }));

  // A triager searches for the veteran's last name and resubmits everything it found.
  await as("triager");
  const result = await resubmitClaims({
    selection: { kind: "filter", filter: { q: LAST_NAME } },
    reason: REASON,
    force: false,
  });
  if (!("data" in result)) throw new Error(`resubmit refused: ${JSON.stringify(result)}`);
  batchId = result.data.batchId;

  // That batch's attempt, which failed on the veteran's attachment, and the attachment's stamped PDF.
  const [submission] = await db
    .insert(backupSubmissions)
    .values({ claimId, formType: "21-526EZ" })
    .returning({ id: backupSubmissions.id });
  const [attempt] = await db
    .insert(backupAttempts)
    .values({
      submissionId: submission.id,
      claimId,
      attemptNumber: 1,
      status: "failure",
      trigger: "batch",
      batchId,
      triggeredByUserId: session.user!.id,
      errorClass: "PdfGenerationError",
      errorMessage: `${ATTACHMENT}: the file is declared application/pdf but its content is not`,
      transient: false,
    })
    .returning({ id: backupAttempts.id });
  await db.insert(documents).values([
    {
      attemptId: attempt.id,
      claimId,
      role: "main",
      position: 0,
      formType: "21-526EZ",
      fileName: `21-526EZ_${claimId}.pdf`,
      byteSize: 100,
      pageCount: 1,
      sha256: "0".repeat(64),
      storageKey: `test/${claimId}-0`,
    },
    {
      attemptId: attempt.id,
      claimId,
      role: "attachment",
      position: 1,
      formType: "attachment",
      fileName: `attachment_1_${ATTACHMENT}.pdf`,
      byteSize: 100,
      pageCount: 1,
      sha256: "1".repeat(64),
      storageKey: `test/${claimId}-1`,
    },
  ]);

  // A batch named the old way (before #13.4), then migration 0013's rename, as written.
  const [old] = await db
    .insert(batches)
    .values({
      name: `Resubmit of claims matching state failed — needs a person, search “${LAST_NAME}”`,
      reason: REASON,
      source: "filter",
      state: "draft",
      ratePerMinute: 10,
      createdByUserId: session.user!.id,
    })
    .returning({ id: batches.id });
  oldBatchId = old.id;
  const migration = readFileSync(path.join(MIGRATIONS_DIR, "0013_audit_append_only.sql"), "utf8");
  await db.execute(sql.raw(migration.split("--> statement-breakpoint")[0]));
});

afterAll(async () => {
  const { getBoss } = await import("@/lib/jobs/boss");
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});

describe("what a viewer is shown (#13.4)", () => {
  it("batch names never carry the search text, new or from before the fix", async () => {
    const [made, old] = await Promise.all(
      [batchId, oldBatchId].map(async (id) => (await db.select().from(batches).where(eq(batches.id, id)))[0]),
    );
    expect(made.name).toBe("Resubmit of claims matching search text (not shown)");
    expect(old.name).toBe("Resubmit of claims matching state failed — needs a person, search text (not shown)");
    // The frozen filter keeps the search, for the audit log; it is never put into words.
    expect(made.filter).toMatchObject({ q: LAST_NAME });
  });

  it("the batches list shows neither the search text nor anything of the veteran", async () => {
    const user = await as("viewer");
    const text = propsText(await BatchesSection({ params: {}, page: { pageIndex: 0, pageSize: 25 }, user }));
    expect(text).toContain(`"id":${batchId}`);
    expect(text).toContain("search text (not shown)");
    expect(leaks(text), text.slice(0, 3000)).toEqual([]);
  });

  it("a batch page shows a viewer no search text, no typed reason, no name", async () => {
    await as("viewer");
    for (const id of [batchId, oldBatchId]) {
      const text = propsText(
        await BatchPage({ params: Promise.resolve({ id: String(id) }), searchParams: Promise.resolve({}) }),
      );
      expect(text).toContain("search text (not shown)");
      expect(leaks(text)).toEqual([]);
    }
  });

  it("a claim page shows a viewer no attachment name (nor the failure that quotes it), batch name or PII", async () => {
    await as("viewer");
    const text = propsText(await ClaimPage({ params: Promise.resolve({ id: String(claimId) }) }));
    expect(text).toContain("attachment 1 (name hidden)");
    expect(text).toContain(`21-526EZ_${claimId}.pdf`); // the form's own PDF is named by form and id
    expect(text).toContain("search text (not shown)"); // "Triggered by" names the batch
    expect(leaks(text)).toEqual([]);
  });

  it("a triager, who may see PII, still gets the attachment's name and the reason", async () => {
    await as("triager");
    const claim = propsText(await ClaimPage({ params: Promise.resolve({ id: String(claimId) }) }));
    expect(claim).toContain(ATTACHMENT);
    expect(claim).toContain(LAST_NAME);
    const batch = propsText(
      await BatchPage({ params: Promise.resolve({ id: String(batchId) }), searchParams: Promise.resolve({}) }),
    );
    expect(batch).toContain(REASON);
  });
});

describe("a look at a claim's PII is audited (#13.5)", () => {
  const views = async (userId: number) =>
    db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, "claim.view"),
          eq(auditEvents.userId, userId),
          sql`${auditEvents.claimIds} @> array[${claimId}::bigint]`,
        ),
      );

  it("records who opened whose claim, once per user and claim per window; viewers (masked) not at all", async () => {
    const viewer = await as("viewer");
    await ClaimPage({ params: Promise.resolve({ id: String(claimId) }) });
    expect(await views(viewer.id)).toHaveLength(0);

    const admin = await as("admin");
    const before = await views(admin.id);
    expect(before).toHaveLength(0);
    await ClaimPage({ params: Promise.resolve({ id: String(claimId) }) });
    await ClaimPage({ params: Promise.resolve({ id: String(claimId) }) });
    const after = await views(admin.id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      userEmail: "admin@example.com",
      claimCount: 1,
      claimIds: [claimId],
      ip: "198.51.100.23",
      userAgent: "vitest",
      details: { page: "claim", mainClaimId: claimId },
    });

    // The triager opened it above (in the previous test): their own event, not the admin's.
    const triager = await as("triager");
    expect(await views(triager.id)).toHaveLength(1);
  });
});
