import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import type { Role } from "@/db/schema/enums";
import {
  type ActionEndpoint,
  discoverRoutes,
  discoverServerActions,
  type RouteEndpoint,
  STATE_CHANGING,
} from "../support/endpoint-discovery";
import { seededUserSession } from "../support/fake-session";

// Who may call what. Every route handler and every server action is found in the source
// (tests/support/endpoint-discovery.ts) and called as nobody, viewer, triager and admin; the tables
// below say what each must require, and an endpoint missing from them fails the suite until
// someone decides. Only the session is faked (next-auth's getServerSession); the role is read from
// the users table by the real check, as in production.

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

type Caller = Role | "anonymous";
const CALLERS: Caller[] = ["anonymous", "viewer", "triager", "admin"];
const RANK = { anonymous: -1, viewer: 0, triager: 1, admin: 2 } as const;
const allows = (caller: Caller, minimum: Role) => caller !== "anonymous" && RANK[caller] >= RANK[minimum];
const NO_SUCH = 2_000_000_000;

function signInAs(caller: Caller) {
  session.email = caller === "anonymous" ? null : `${caller}@example.com`;
}

// What each route handler requires. A new route handler fails "every endpoint is in the matrix"
// until it is added here.
type RoutePolicy =
  | { session: Role } // a signed-in user with at least this role
  | { token: string } // a bearer token from this variable; a session does not open it
  | { open: string } // anyone (GET only): why that is safe
  | { testOnly: string } // answers 404 unless the browser tests turned it on
  | { nextAuth: string }; // next-auth's own sign-in endpoints (its CSRF token guards their POSTs)

const ROUTES: Record<string, RoutePolicy> = {
  "GET /api/alerts": { session: "viewer" },
  "GET /api/audit/export": { session: "admin" },
  "GET /api/auth/[...nextauth]": { nextAuth: "sign-in pages, providers, session, CSRF token" },
  "POST /api/auth/[...nextauth]": { nextAuth: "sign-in, callback, sign-out: need next-auth's CSRF token" },
  "GET /api/batches/[id]/export": { session: "viewer" },
  "GET /api/batches/[id]/progress": { session: "viewer" },
  "POST /api/batches/import": { session: "admin" },
  "GET /api/claims/export": { session: "viewer" },
  "POST /api/csp-report": { testOnly: "CSP_REPORT_FILE" },
  "GET /api/documents/[id]": { session: "triager" },
  "GET /api/documents/zip": { session: "triager" },
  "PUT /api/ingest/files/[sha256]": { token: "INGEST_TOKENS" },
  "GET /api/health": { open: "a load balancer's liveness probe: says the process is up, nothing else" },
  "GET /api/ready": { open: "a load balancer's readiness probe: names which dependency is down, nothing else" },
  "GET /api/ingest/schema": { open: "the ingest contract as JSON Schema: describes a record, holds none" },
  "GET /api/ingest/remediations": { token: "INGEST_TOKENS" },
  "POST /api/ingest/submissions": { token: "INGEST_TOKENS" },
  "GET /api/metrics": { token: "METRICS_TOKEN" },
};

// The role each server action requires, by "file#export". A new action fails the suite until it is
// added here.
const ACTIONS: Record<string, Role> = {
  "lib/actions/batches/cancel-batch.ts#cancelBatchAction": "admin",
  "lib/actions/batches/pause-batch.ts#pauseBatchAction": "triager",
  "lib/actions/batches/retry-failed-items.ts#retryFailedItems": "triager",
  "lib/actions/batches/resume-batch.ts#resumeBatchAction": "triager",
  "lib/actions/batches/set-batch-rate.ts#setBatchRateAction": "triager",
  "lib/actions/batches/start-batch.ts#startBatchAction": "triager",
  "lib/actions/claims/dry-run-resubmit.ts#dryRunResubmit": "triager",
  "lib/actions/claims/exclude-claim.ts#excludeClaim": "admin",
  "lib/actions/claims/resubmit-claim.ts#resubmitClaim": "triager",
  "lib/actions/claims/resubmit-claims.ts#resubmitClaims": "triager",
  "lib/actions/claims/unexclude-claim.ts#unexcludeClaim": "admin",
  "lib/actions/failure-groups/exclude-failure-group.ts#excludeFailureGroup": "admin",
  "lib/actions/failure-groups/update-failure-group.ts#updateFailureGroup": "triager",
  "lib/actions/ingest/settle-conflict.ts#settleConflict": "admin",
  "lib/actions/users/change-user-role.ts#changeUserRoleAction": "admin",
  "lib/actions/users/disable-user.ts#disableUserAction": "admin",
  "lib/actions/users/enable-user.ts#enableUserAction": "admin",
  // Saved views are each person's own: anyone signed in keeps theirs.
  "lib/actions/views/delete-view.ts#deleteView": "viewer",
  "lib/actions/views/save-view.ts#saveView": "viewer",
};

// Inputs of the right shape that name nothing real, for the actions that have one here: an allowed
// caller gets a "not found"-style answer, never a refusal for their role and never a change.
const VALID_INPUTS: Record<string, unknown> = {
  "lib/actions/claims/resubmit-claims.ts#resubmitClaims": {
    selection: { kind: "ids", ids: [NO_SUCH] },
    reason: "authz test",
    force: false,
  },
  "lib/actions/claims/dry-run-resubmit.ts#dryRunResubmit": { selection: { kind: "ids", ids: [NO_SUCH] } },
  "lib/actions/claims/resubmit-claim.ts#resubmitClaim": { claimId: NO_SUCH, reason: "authz test", force: false },
  "lib/actions/claims/exclude-claim.ts#excludeClaim": { claimId: NO_SUCH, reason: "authz test" },
  "lib/actions/claims/unexclude-claim.ts#unexcludeClaim": { claimId: NO_SUCH, reason: "authz test" },
  "lib/actions/batches/start-batch.ts#startBatchAction": { batchId: NO_SUCH },
  "lib/actions/batches/pause-batch.ts#pauseBatchAction": { batchId: NO_SUCH },
  "lib/actions/batches/resume-batch.ts#resumeBatchAction": { batchId: NO_SUCH },
  "lib/actions/batches/cancel-batch.ts#cancelBatchAction": { batchId: NO_SUCH },
  "lib/actions/batches/set-batch-rate.ts#setBatchRateAction": { batchId: NO_SUCH, ratePerMinute: 60 },
  "lib/actions/users/change-user-role.ts#changeUserRoleAction": { userId: NO_SUCH, role: "viewer" },
  "lib/actions/users/disable-user.ts#disableUserAction": { userId: NO_SUCH },
  "lib/actions/users/enable-user.ts#enableUserAction": { userId: NO_SUCH },
};

let routes: RouteEndpoint[] = [];
let actions: ActionEndpoint[] = [];
let inlineActions: string[] = [];
beforeAll(async () => {
  routes = await discoverRoutes();
  ({ actions, inline: inlineActions } = await discoverServerActions());
});

const count = async (table: "batches" | "users") =>
  Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0].n);
const isAuthRefusal = (result: unknown) =>
  /Sign in to continue|needs the (viewer|triager|admin) role/.test((result as { error?: string })?.error ?? "");

describe("the matrix covers every endpoint the source has", () => {
  it("finds the route handlers and server actions by itself", () => {
    expect(routes.length).toBeGreaterThanOrEqual(18);
    expect(actions.length).toBeGreaterThanOrEqual(19);
    expect(inlineActions, "server actions live in their own module under lib/actions").toEqual([]);
  });

  it("has a policy for every route handler, and none for a route that is gone", () => {
    const found = routes.map((r) => r.key);
    expect(
      found.filter((k) => !(k in ROUTES)),
      "route handlers without a policy in ROUTES",
    ).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((k) => !found.includes(k)),
      "policies for no route",
    ).toEqual([]);
  });

  it("has a role for every server action, and none for an action that is gone", () => {
    const found = actions.map((a) => a.key);
    expect(
      found.filter((k) => !(k in ACTIONS)),
      "server actions without a role in ACTIONS",
    ).toEqual([]);
    expect(
      Object.keys(ACTIONS).filter((k) => !found.includes(k)),
      "roles for no action",
    ).toEqual([]);
  });

  it("lets nobody in without a check: open routes only read", () => {
    for (const [key, policy] of Object.entries(ROUTES)) {
      if ("open" in policy) expect(key, "an open route must not change state").toMatch(/^(GET|HEAD) /);
    }
  });
});

describe("server actions refuse callers below their role, on the server", () => {
  it("holds for every action and every caller, before the input is even read", async () => {
    const before = { batches: await count("batches"), users: await count("users") };
    for (const action of actions) {
      const minimum = ACTIONS[action.key];
      if (!minimum) continue; // reported above
      for (const caller of CALLERS) {
        signInAs(caller);
        // Not this action's input: an allowed caller is told the input is wrong, a refused one is
        // refused for who they are.
        const probe = await action.call({ authorizationMatrixProbe: true });
        const label = `${action.key} as ${caller}: ${JSON.stringify(probe)}`;
        expect(isAuthRefusal(probe), label).toBe(!allows(caller, minimum));
        if (allows(caller, minimum)) expect((probe as { error?: string }).error, label).toMatch(/not valid/);
        if (action.key in VALID_INPUTS) {
          const result = await action.call(VALID_INPUTS[action.key]);
          expect(isAuthRefusal(result), `${action.key} as ${caller}: ${JSON.stringify(result)}`).toBe(
            !allows(caller, minimum),
          );
        }
      }
    }
    // Refusals and "no such claim/batch/user" answers created nothing (an allowed attempt may be audited).
    expect({ batches: await count("batches"), users: await count("users") }).toEqual(before);
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

// A request to a route that names nothing real: [id] a claim/batch/document no one has.
const ORIGIN = "http://localhost";
function requestTo(route: RouteEndpoint, headers: Record<string, string> = {}) {
  const params: Record<string, string | string[]> = {};
  const url = route.path.replace(/\[(\.\.\.)?(\w+)\]/g, (_, rest: string | undefined, name: string) => {
    const value = name === "sha256" ? "0".repeat(64) : name === "nextauth" ? "session" : String(NO_SUCH);
    params[name] = rest ? [value] : value;
    return value;
  });
  const changes = STATE_CHANGING.includes(route.method);
  const query = route.path.endsWith("/zip")
    ? `?claimId=${NO_SUCH}`
    : route.path.endsWith("/export")
      ? `?q=${NO_SUCH}`
      : "";
  const request = new Request(`${ORIGIN}${url}${query}`, {
    method: route.method,
    headers: changes ? { origin: ORIGIN, ...headers } : headers,
    body: changes ? new FormData() : undefined,
  });
  return { request, context: { params: Promise.resolve(params) } };
}

async function callRoute(route: RouteEndpoint, headers: Record<string, string> = {}) {
  const mod = (await import(`${process.cwd()}/${route.file}`)) as Record<
    string,
    (request: Request, context: unknown) => Promise<Response>
  >;
  const { request, context } = requestTo(route, headers);
  const response = await mod[route.method](request, context);
  await response.body?.cancel().catch(() => {});
  return response;
}

describe("route handlers check the session and role, or their token", () => {
  const withPolicy = <K extends string>(kind: K) =>
    routes.filter((r) => ROUTES[r.key] && kind in ROUTES[r.key]) as RouteEndpoint[];

  it("answers 401 to strangers, 403 below the role, and something else to the allowed", async () => {
    const checked: string[] = [];
    for (const route of withPolicy("session")) {
      const minimum = (ROUTES[route.key] as { session: Role }).session;
      for (const caller of CALLERS) {
        signInAs(caller);
        const response = await callRoute(route);
        const expected = caller === "anonymous" ? 401 : allows(caller, minimum) ? "allowed" : 403;
        const got = response.status === 401 || response.status === 403 ? response.status : "allowed";
        expect(got, `${route.key} as ${caller} (${response.status})`).toBe(expected);
        checked.push(route.key);
      }
    }
    expect(checked.length).toBe(withPolicy("session").length * CALLERS.length);
  });

  it("refuses a state-changing request from another site, whoever is signed in", async () => {
    const before = await count("batches");
    const changing = withPolicy("session").filter((r) => STATE_CHANGING.includes(r.method));
    expect(changing.length).toBeGreaterThan(0);
    for (const route of changing) {
      for (const caller of CALLERS) {
        signInAs(caller);
        for (const forged of [{ origin: "https://attacker.example" }, { origin: "null" }]) {
          const response = await callRoute(route, forged);
          expect(response.status, `${route.key} as ${caller} from ${forged.origin}`).toBe(403);
        }
        // A browser that sends no Origin still says where the request came from.
        const { request, context } = requestTo(route, { "sec-fetch-site": "cross-site" });
        request.headers.delete("origin");
        const mod = (await import(`${process.cwd()}/${route.file}`)) as Record<
          string,
          (r: Request, c: unknown) => Promise<Response>
        >;
        expect((await mod[route.method](request, context)).status, `${route.key} cross-site`).toBe(403);
      }
    }
    expect(await count("batches")).toBe(before);
  });

  it("opens token routes to their token only: a session, even an admin's, is not enough", async () => {
    for (const route of withPolicy("token")) {
      for (const caller of CALLERS) {
        signInAs(caller);
        const response = await callRoute(route, { authorization: "Bearer not-a-token-anyone-was-given" });
        expect(response.status, `${route.key} as ${caller}`).toBe(401);
      }
    }
  });

  it("answers test-only routes with 404 outside the browser tests, and open routes to anyone", async () => {
    signInAs("anonymous");
    for (const route of withPolicy("testOnly")) expect((await callRoute(route)).status, route.key).toBe(404);
    // (The readiness probe may say 503 when a dependency is down; never that a session is needed.)
    for (const route of withPolicy("open"))
      expect([401, 403], route.key).not.toContain((await callRoute(route)).status);
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
