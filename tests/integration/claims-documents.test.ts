import { randomBytes } from "node:crypto";
import { desc, inArray, sql } from "drizzle-orm";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { auditEvents, documents } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { getEnv } from "@/lib/env";
import { createDocumentStorage } from "@/lib/pdf/storage";

// The PDF route handlers: role-checked (PDFs carry PII), streamed from storage with the right
// headers, zipped per attempt or per claim, and every download audited.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", async () => {
  const { hasRole } = await import("@/lib/auth/roles");
  return {
    requireApiUser: async (minimum: "viewer" | "triager" | "admin") => {
      if (!session.user) return Response.json({ error: "Sign in to continue." }, { status: 401 });
      if (!hasRole(session.user, minimum)) return Response.json({ error: "forbidden" }, { status: 403 });
      return session.user;
    },
  };
});
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));

const { GET: getDocument } = await import("@/app/api/documents/[id]/route");
const { GET: getZip } = await import("@/app/api/documents/zip/route");

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
const pdfs = [0, 1].map((i) =>
  new TextEncoder().encode(`%PDF-1.4\n% test document ${i} ${randomBytes(8).toString("hex")}\n%%EOF\n`),
);
let docIds: number[] = [];
let attempt: { id: number; claim_id: number; attempt_number: number };
let childId: number;

beforeAll(async () => {
  // A 686c whose group has a 674, and one of its backup attempts.
  [attempt] = Array.from(
    await db.execute(sql`
    select a.id::int, a.claim_id::int, a.attempt_number::int
    from backup_attempts a join saved_claims c on c.id = a.claim_id
    where c.form_type = '21-686C'
      and exists (select 1 from saved_claims k where k.main_claim_id = c.id and k.id <> c.id)
    limit 1`),
  ) as unknown as (typeof attempt)[];
  const [child] = await db.execute<{ id: number }>(
    sql`select id::int from saved_claims
        where main_claim_id = ${attempt.claim_id} and id <> ${attempt.claim_id} limit 1`,
  );
  childId = Number(child.id);
  const storage = createDocumentStorage(getEnv().STORAGE_DIR);
  const rows = [];
  for (const [i, bytes] of pdfs.entries()) {
    const stored = await storage.put(bytes);
    rows.push({
      attemptId: attempt.id,
      claimId: attempt.claim_id,
      role: i === 0 ? ("main" as const) : ("attachment" as const),
      position: 900 + i,
      formType: i === 0 ? "21-686C" : "21-674",
      fileName: i === 0 ? "21-686C stamped.pdf" : '21-674 "student".pdf',
      byteSize: bytes.byteLength,
      pageCount: 1,
      sha256: stored.sha256,
      storageKey: stored.storageKey,
    });
  }
  docIds = (await db.insert(documents).values(rows).returning({ id: documents.id })).map((r) => r.id);
});

afterAll(async () => {
  await db.delete(documents).where(inArray(documents.id, docIds));
  await close();
});

const asUser = async (role: SessionUser["role"]) => {
  const [row] = await db.execute<{ id: number; email: string; name: string }>(
    sql`select id::int, email, name from users where email = ${`${role}@example.com`}`,
  );
  session.user = { id: Number(row.id), email: row.email, name: row.name, role };
};
const fetchDocument = (id: string, query = "") =>
  getDocument(new Request(`http://localhost/api/documents/${id}${query}`), { params: Promise.resolve({ id }) });

describe("GET /api/documents/:id", () => {
  it("refuses anonymous callers and viewers", async () => {
    session.user = null;
    expect((await fetchDocument(String(docIds[0]))).status).toBe(401);
    await asUser("viewer");
    expect((await fetchDocument(String(docIds[0]))).status).toBe(403);
  });

  it("streams the stored PDF to a triager with safe headers, and audits it", async () => {
    await asUser("triager");
    const response = await fetchDocument(String(docIds[1]));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="21-674 _student_.pdf"; filename*=UTF-8''21-674%20%22student%22.pdf`,
    );
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdfs[1]);
    const audits = await db
      .select()
      .from(auditEvents)
      .where(
        sql`${auditEvents.action} = 'document.download'
            and ${auditEvents.details}->>'documentId' = ${String(docIds[1])}`,
      );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      userEmail: "triager@example.com",
      claimIds: [attempt.claim_id],
      userAgent: "vitest",
    });

    const inline = await fetchDocument(String(docIds[0]), "?inline=1");
    expect(inline.headers.get("content-disposition")).toMatch(/^inline; filename="21-686C stamped.pdf"/);
    expect(new Uint8Array(await inline.arrayBuffer())).toEqual(pdfs[0]);
  });

  it("answers 404 for unknown or malformed ids", async () => {
    await asUser("admin");
    for (const id of ["999999999", "abc", "-1", "1e3", "../etc/passwd"])
      expect((await fetchDocument(id)).status).toBe(404);
  });
});

describe("GET /api/documents/zip", () => {
  const fetchZip = (query: string) => getZip(new Request(`http://localhost/api/documents/zip?${query}`));

  it("zips every PDF of an attempt", async () => {
    await asUser("triager");
    const response = await fetchZip(`attemptId=${attempt.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(files["21-686C stamped.pdf"]).toEqual(pdfs[0]);
    expect(files['21-674 "student".pdf']).toEqual(pdfs[1]);
  });

  it("zips a claim's backups by attempt, reaching a 674's documents through its 686c", async () => {
    await asUser("triager");
    const response = await fetchZip(`claimId=${childId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(`claim-${attempt.claim_id}-documents.zip`);
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(files[`attempt-${attempt.attempt_number}/21-686C stamped.pdf`]).toEqual(pdfs[0]);
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(
        sql`${auditEvents.action} = 'document.download' and ${auditEvents.details}->>'zip' = 'true'
            and ${auditEvents.details}->>'claimId' = ${String(childId)}`,
      )
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(audit.details).toMatchObject({ documentIds: expect.arrayContaining(docIds) });
  });

  it("checks the role and the query", async () => {
    await asUser("viewer");
    expect((await fetchZip(`attemptId=${attempt.id}`)).status).toBe(403);
    await asUser("triager");
    expect((await fetchZip("")).status).toBe(400);
    expect((await fetchZip(`attemptId=${attempt.id}&claimId=${childId}`)).status).toBe(400);
    expect((await fetchZip("claimId=999999999")).status).toBe(404);
  });
});
