import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import type { Role } from "@/db/schema/enums";
import { seededUserSession } from "../support/fake-session";

// Who may call what: every server action and every route handler, called as anonymous, viewer,
// triager and admin. Only the session is faked (next-auth's getServerSession); the role is read
// from the users table by the real check, as in production.

const session = vi.hoisted(() => ({ email: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.email ? seededUserSession(db, session.email) : null),
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => {
  const { getBoss } = await import("@/lib/jobs/boss");
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});

const ROLES: (Role | "anonymous")[] = ["anonymous", "viewer", "triager", "admin"];
const RANK = { anonymous: -1, viewer: 0, triager: 1, admin: 2 } as const;
const NO_SUCH = 2_000_000_000;

function signInAs(role: Role | "anonymous") {
  session.email = role === "anonymous" ? null : `${role}@example.com`;
}

type ActionCase = { name: string; minimum: Role; call: () => Promise<unknown> };

async function actionCases(): Promise<ActionCase[]> {
  const claims = await import("@/lib/actions/claims/resubmit-claims");
  const claim = await import("@/lib/actions/claims/resubmit-claim");
  const dryRun = await import("@/lib/actions/claims/dry-run-resubmit");
  const exclude = await import("@/lib/actions/claims/exclude-claim");
  const unexclude = await import("@/lib/actions/claims/unexclude-claim");
  const start = await import("@/lib/actions/batches/start-batch");
  const pause = await import("@/lib/actions/batches/pause-batch");
  const resume = await import("@/lib/actions/batches/resume-batch");
  const cancel = await import("@/lib/actions/batches/cancel-batch");
  const rate = await import("@/lib/actions/batches/set-batch-rate");
  // Inputs that name nothing real: an allowed caller gets a "not found"-style answer, never a change.
  const call = (fn: (input: never) => Promise<unknown>, input: unknown) => () => fn(input as never);
  return [
    {
      name: "claims.resubmit",
      minimum: "triager",
      call: call(claims.resubmitClaims, {
        selection: { kind: "ids", ids: [NO_SUCH] },
        reason: "authz test",
        force: false,
      }),
    },
    {
      name: "claims.dryRunResubmit",
      minimum: "triager",
      call: call(dryRun.dryRunResubmit, { selection: { kind: "ids", ids: [NO_SUCH] } }),
    },
    {
      name: "claim.resubmit",
      minimum: "triager",
      call: call(claim.resubmitClaim, { claimId: NO_SUCH, reason: "authz test", force: false }),
    },
    {
      name: "claim.exclude",
      minimum: "admin",
      call: call(exclude.excludeClaim, { claimId: NO_SUCH, reason: "authz test" }),
    },
    {
      name: "claim.unexclude",
      minimum: "admin",
      call: call(unexclude.unexcludeClaim, { claimId: NO_SUCH, reason: "authz test" }),
    },
    { name: "batch.start", minimum: "triager", call: call(start.startBatchAction, { batchId: NO_SUCH }) },
    { name: "batch.pause", minimum: "triager", call: call(pause.pauseBatchAction, { batchId: NO_SUCH }) },
    { name: "batch.resume", minimum: "triager", call: call(resume.resumeBatchAction, { batchId: NO_SUCH }) },
    { name: "batch.cancel", minimum: "admin", call: call(cancel.cancelBatchAction, { batchId: NO_SUCH }) },
    {
      name: "batch.rate",
      minimum: "triager",
      call: call(rate.setBatchRateAction, { batchId: NO_SUCH, ratePerMinute: 60 }),
    },
  ];
}

const isAuthRefusal = (result: unknown) => {
  const error = (result as { error?: string }).error ?? "";
  return /Sign in to continue|needs the (viewer|triager|admin) role/.test(error);
};

describe("server actions refuse callers below their role, on the server", () => {
  it("holds for every action and every role", async () => {
    const before = await db.execute<{ n: number }>(sql`select count(*)::int as n from batches`);
    const seen: string[] = [];
    for (const action of await actionCases()) {
      for (const role of ROLES) {
        signInAs(role);
        const result = await action.call();
        const allowed = role !== "anonymous" && RANK[role] >= RANK[action.minimum];
        expect(isAuthRefusal(result), `${action.name} as ${role}: ${JSON.stringify(result)}`).toBe(!allowed);
        seen.push(`${action.name}/${role}`);
      }
    }
    expect(seen).toHaveLength(10 * 4);
    // Refusals and "no such claim/batch" answers created nothing (an allowed attempt may be audited).
    const after = await db.execute<{ n: number }>(sql`select count(*)::int as n from batches`);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it("rejects forged payloads before any work", async () => {
    signInAs("admin");
    const { resubmitClaims } = await import("@/lib/actions/claims/resubmit-claims");
    for (const forged of [
      null,
      "drop table",
      { selection: { kind: "ids", ids: Array.from({ length: 5000 }, (_, i) => i + 1) }, reason: "x" },
      { selection: { kind: "ids", ids: ["1; drop table saved_claims"] }, reason: "x" },
    ]) {
      const result = (await resubmitClaims(forged as never)) as { error?: string };
      expect(result.error).toBeTruthy();
    }
    const [{ n }] = await db.execute<{ n: number }>(sql`select count(*)::int as n from saved_claims`);
    expect(Number(n)).toBeGreaterThan(0);
  });
});

type RouteCase = { name: string; minimum: Role; call: () => Promise<Response> };

async function routeCases(): Promise<RouteCase[]> {
  const exportClaims = await import("@/app/api/claims/export/route");
  const progress = await import("@/app/api/batches/[id]/progress/route");
  const exportBatch = await import("@/app/api/batches/[id]/export/route");
  const importList = await import("@/app/api/batches/import/route");
  const document = await import("@/app/api/documents/[id]/route");
  const zip = await import("@/app/api/documents/zip/route");
  const base = "http://localhost/api";
  const params = (id: string) => ({ params: Promise.resolve({ id }) });
  return [
    {
      name: "GET claims export",
      minimum: "viewer",
      call: () => exportClaims.GET(new Request(`${base}/claims/export?q=${NO_SUCH}`)),
    },
    {
      name: "GET batch progress",
      minimum: "viewer",
      call: () => progress.GET(new Request(`${base}/batches/1/progress`), params("1")),
    },
    {
      name: "GET batch export",
      minimum: "viewer",
      call: () => exportBatch.GET(new Request(`${base}/batches/${NO_SUCH}/export`), params(String(NO_SUCH))),
    },
    {
      name: "POST import",
      minimum: "admin",
      call: () => importList.POST(new Request(`${base}/batches/import`, { method: "POST", body: new FormData() })),
    },
    {
      name: "GET document",
      minimum: "triager",
      call: () => document.GET(new Request(`${base}/documents/${NO_SUCH}`), params(String(NO_SUCH))),
    },
    {
      name: "GET documents zip",
      minimum: "triager",
      call: () => zip.GET(new Request(`${base}/documents/zip?claimId=${NO_SUCH}`)),
    },
  ];
}

describe("route handlers check the session and role", () => {
  it("answers 401 to strangers, 403 below the role, and something else to the allowed", async () => {
    for (const route of await routeCases()) {
      for (const role of ROLES) {
        signInAs(role);
        const response = await route.call();
        const allowed = role !== "anonymous" && RANK[role] >= RANK[route.minimum];
        const expected = role === "anonymous" ? 401 : allowed ? "allowed" : 403;
        const got = response.status === 401 || response.status === 403 ? response.status : "allowed";
        expect(got, `${route.name} as ${role} (${response.status})`).toBe(expected);
        await response.body?.cancel().catch(() => {});
      }
    }
  });

  it("masks PII in the claims export for a viewer", async () => {
    const { GET } = await import("@/app/api/claims/export/route");
    const [claim] = await db.execute<{ id: number; last: string }>(
      sql`select id::int, veteran_last_name as last from saved_claims order by id limit 1`,
    );
    signInAs("viewer");
    const masked = await (await GET(new Request(`http://localhost/api/claims/export?q=${claim.id}`))).text();
    signInAs("triager");
    const plain = await (await GET(new Request(`http://localhost/api/claims/export?q=${claim.id}`))).text();
    expect(plain).toContain(claim.last);
    expect(masked).not.toContain(claim.last);
  });
});
