import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { claimsWhere, countClaims, getClaimsPage, getFailureReasonCounts } from "@/db/queries/claims-list";
import type { Role } from "@/db/schema/enums";
import { parseClaimsFilter } from "@/lib/claims/search-params";
import { seededUserSession } from "../support/fake-session";

// Issue #7, hostile input: server actions and route handlers called the way an attacker (or a
// broken client) would, with the real role check and the real database. Each case must answer
// with a message a person can act on, never a stack trace or a 500, and must change nothing.
// Files (import and export CSVs) are in hostile-files.test.ts.

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

const NO_SUCH = 2_000_000_000;
const HUGE = "x".repeat(5 * 1024 * 1024); // larger than any field allows, and than a server action body
const REASON = "TICKET-7";
function signInAs(role: Role) {
  session.email = `${role}@example.com`;
}

// Everything a hostile call could have changed, in one row; the claims' triage state and exclusion
// reason are hashed so a silent exclusion of any claim shows up.
async function snapshot() {
  const [row] = await db.execute(sql`select
    (select count(*) from batches)::int as batches, (select count(*) from batch_items)::int as items,
    (select count(*) from audit_events)::int as audit, (select count(*) from backup_attempts)::int as attempts,
    (select count(*) from backup_submissions where in_flight_since is not null)::int as in_flight,
    (select md5(string_agg(id || ':' || triage_state || ':' || coalesce(excluded_reason, ''), ',' order by id))
     from saved_claims) as claims,
    to_regclass('saved_claims') is not null as table_exists`);
  return row;
}

// A refusal must read as one: the wrapper's message or a domain one, never the catch-all for a
// server fault, and never a stack or driver text.
const SERVER_FAULT =
  /Something went wrong|failed on the server|\bat .+:\d+:\d+|node_modules|syntax error|violates|PostgresError/i;
function expectClearRefusal(result: unknown, expected: RegExp) {
  const r = result as { error?: string; fieldErrors?: Record<string, string[]>; data?: unknown };
  expect(r.data, JSON.stringify(r).slice(0, 300)).toBeUndefined();
  expect(typeof r.error).toBe("string");
  const text = `${r.error} ${JSON.stringify(r.fieldErrors ?? {})}`;
  expect(text).not.toMatch(SERVER_FAULT);
  expect(text).toMatch(expected);
}

// JSON.parse makes "__proto__" an own key, as React's reply decoder would hand it to the action.
const withProto = (body: string) =>
  JSON.parse(body.replace(/}$/, `, "__proto__": {"role": "admin", "polluted": true}}`));
const INVALID = /not valid; nothing was changed/;

type Case = [what: string, input: unknown, expected: RegExp];
const claimIdCases = (extra: Case[]): Case[] => [
  ["no input", undefined, INVALID],
  ["null", null, INVALID],
  ["SQL as the whole payload", "'; drop table saved_claims; --", INVALID],
  ["an array", [NO_SUCH, REASON], INVALID],
  ["the id as a string", { claimId: "12", reason: REASON }, /expected number/],
  ["a negative id", { claimId: -1, reason: REASON }, /too small/i],
  ["a zero id", { claimId: 0, reason: REASON }, /too small/i],
  ["a fractional id", { claimId: 1.5, reason: REASON }, /expected int/i],
  ["a NaN id", { claimId: NaN, reason: REASON }, /expected number/],
  ["an id beyond 2^53", { claimId: 2 ** 60, reason: REASON }, /too big|expected int/i],
  ["an operator object as the id", { claimId: { $gt: 0 }, reason: REASON }, /expected number/],
  ["a 5 MB reason", { claimId: NO_SUCH, reason: HUGE }, /under 500 characters/],
  ["a reason of blanks", { claimId: NO_SUCH, reason: "    " }, /at least 3 characters/],
  ["a numeric reason", { claimId: NO_SUCH, reason: 12345 }, /expected string/],
  ["an id that does not exist", { claimId: NO_SUCH, reason: REASON }, /No such claim/],
  [
    "extra keys naming another user and state",
    { claimId: NO_SUCH, reason: REASON, userId: 1, role: "admin", triageState: "confirmed" },
    /No such claim/,
  ],
  ["a __proto__ key", withProto(`{"claimId": ${NO_SUCH}, "reason": "${REASON}"}`), /No such claim/],
  ...extra,
];

const selection = (s: unknown, more: object = {}) => ({ selection: s, reason: REASON, ...more });
const selectionCases: Case[] = [
  ["null", null, INVALID],
  ["a selection of an unknown kind", selection({ kind: "sql", ids: [1] }), INVALID],
  ["no ids", selection({ kind: "ids", ids: [] }), /at least one claim/],
  [
    "100,000 ids",
    selection({ kind: "ids", ids: Array.from({ length: 100_000 }, (_, i) => i + 1) }),
    /at most 1000 claims/,
  ],
  [
    "bad ids (0, negative, fraction, NaN, string, 2^53)",
    selection({ kind: "ids", ids: [0, -5, 1.5, NaN, "7", 2 ** 53] }),
    /ids\.0.*ids\.1.*ids\.2.*ids\.3.*ids\.4.*ids\.5/,
  ],
  [
    "a filter with an unknown key",
    selection({ kind: "filter", filter: { q: "smith", role: "admin" } }),
    /Unrecognized key/,
  ],
  [
    "a filter with a __proto__ key",
    selection({ kind: "filter", filter: withProto(`{"batchId": ${NO_SUCH}}`) }),
    /Unrecognized key: \\"__proto__\\"/,
  ],
  ["a selection with a __proto__ key", selection(withProto(`{"kind": "ids", "ids": [${NO_SUCH}]}`)), /No claims match/],
  ["a 5 MB search", selection({ kind: "filter", filter: { q: HUGE } }), /Too big/i],
  [
    "a form type with SQL",
    selection({ kind: "filter", filter: { formTypes: ["21-526EZ'; drop table batches; --"] } }),
    /Invalid option/,
  ],
  ["an impossible date", selection({ kind: "filter", filter: { submittedFrom: "2022-13-45" } }), /not a date/],
  ["February 30", selection({ kind: "filter", filter: { submittedTo: "2022-02-30" } }), /not a date/],
  ["a 5 MB reason", { selection: { kind: "ids", ids: [NO_SUCH] }, reason: HUGE }, /under 500 characters/],
  ["force as a string", selection({ kind: "ids", ids: [NO_SUCH] }, { force: "yes" }), /expected boolean/],
  ["ids that do not exist", selection({ kind: "ids", ids: [NO_SUCH, NO_SUCH + 1] }), /No claims match/],
  ["a batch that does not exist", selection({ kind: "filter", filter: { batchId: NO_SUCH } }), /No claims match/],
  [
    "a search that looks like SQL",
    selection({ kind: "filter", filter: { q: "'; drop table saved_claims; --" } }),
    /No claims match/,
  ],
  [
    "a search with a NUL byte",
    selection({ kind: "filter", filter: { q: "smith\u0000" } }),
    /cannot contain a NUL character/,
  ],
  [
    "a reason with a NUL byte",
    selection({ kind: "filter", filter: { failureReason: "timeout\u0000" } }),
    /cannot contain a NUL character/,
  ],
  ["year 0", selection({ kind: "filter", filter: { submittedFrom: "0000-01-01", batchId: NO_SUCH } }), /not a date/],
  [
    "the last day of year 9999",
    selection({ kind: "filter", filter: { submittedTo: "9999-12-31", batchId: NO_SUCH } }),
    /not a date/,
  ],
];

const batchCases = (extra: Case[] = []): Case[] => [
  ["null", null, INVALID],
  ["the id as a string", { batchId: "1" }, /expected number/],
  ["a negative id", { batchId: -1 }, /too small/i],
  ["a zero id", { batchId: 0 }, /too small/i],
  ["a fractional id", { batchId: 1.5 }, /expected int/i],
  ["a NaN id", { batchId: NaN }, /expected number/],
  ["an id beyond 2^53", { batchId: 2 ** 60 }, /too big|expected int/i],
  ["a 5 MB reason", { batchId: NO_SUCH, reason: HUGE }, /under 500 characters/],
  ["a batch that does not exist", { batchId: NO_SUCH, ratePerMinute: 60 }, /Batch #2000000000 does not exist/],
  [
    "extra keys naming a state and user",
    { batchId: NO_SUCH, ratePerMinute: 60, state: "completed", userId: 1 },
    /does not exist/,
  ],
  ["a __proto__ key", withProto(`{"batchId": ${NO_SUCH}, "ratePerMinute": 60}`), /does not exist/],
  ...extra,
];
const rateCases: Case[] = [
  ["a rate that is not a number", { batchId: NO_SUCH, ratePerMinute: "fast" }, /Enter a number/],
  ["a zero rate", { batchId: NO_SUCH, ratePerMinute: 0 }, /At least 1 claim/],
  ["a rate over the limit", { batchId: NO_SUCH, ratePerMinute: 10_001 }, /At most 10,000/],
  ["a fractional rate", { batchId: NO_SUCH, ratePerMinute: 1.5 }, /whole number/],
  ["a 5 MB rate", { batchId: NO_SUCH, ratePerMinute: "9".repeat(5 * 1024 * 1024) }, /At most 10,000|Enter a number/],
];

type ActionTable = {
  name: string;
  roles: Role[];
  load: () => Promise<(input: never) => Promise<unknown>>;
  cases: Case[];
};
const ACTIONS: ActionTable[] = [
  {
    name: "claim.resubmit",
    roles: ["triager", "admin"],
    load: async () => (await import("@/lib/actions/claims/resubmit-claim")).resubmitClaim,
    cases: claimIdCases([
      ["force as a string", { claimId: NO_SUCH, reason: REASON, force: "true" }, /expected boolean/],
    ]),
  },
  {
    name: "claim.exclude",
    roles: ["admin"],
    load: async () => (await import("@/lib/actions/claims/exclude-claim")).excludeClaim,
    cases: claimIdCases([]),
  },
  {
    name: "claim.unexclude",
    roles: ["admin"],
    load: async () => (await import("@/lib/actions/claims/unexclude-claim")).unexcludeClaim,
    cases: claimIdCases([]),
  },
  {
    name: "claims.resubmit",
    roles: ["triager", "admin"],
    load: async () => (await import("@/lib/actions/claims/resubmit-claims")).resubmitClaims,
    cases: selectionCases,
  },
  // Read-only, so only the shape is at stake; the reason is not part of its input.
  {
    name: "claims.dryRunResubmit",
    roles: ["triager"],
    load: async () => (await import("@/lib/actions/claims/dry-run-resubmit")).dryRunResubmit,
    cases: selectionCases.filter(([what]) =>
      /null|kind|no ids|100,000|bad ids|unknown key|5 MB search|form type|impossible/.test(what),
    ),
  },
  {
    name: "batch.start",
    roles: ["triager", "admin"],
    load: async () => (await import("@/lib/actions/batches/start-batch")).startBatchAction,
    cases: batchCases(),
  },
  {
    name: "batch.pause",
    roles: ["triager"],
    load: async () => (await import("@/lib/actions/batches/pause-batch")).pauseBatchAction,
    cases: batchCases(),
  },
  {
    name: "batch.resume",
    roles: ["triager"],
    load: async () => (await import("@/lib/actions/batches/resume-batch")).resumeBatchAction,
    cases: batchCases(),
  },
  {
    name: "batch.cancel",
    roles: ["admin"],
    load: async () => (await import("@/lib/actions/batches/cancel-batch")).cancelBatchAction,
    cases: batchCases(),
  },
  {
    name: "batch.rate",
    roles: ["triager", "admin"],
    load: async () => (await import("@/lib/actions/batches/set-batch-rate")).setBatchRateAction,
    cases: batchCases(rateCases),
  },
];

describe("server actions refuse hostile payloads from allowed callers, changing nothing", () => {
  for (const action of ACTIONS) {
    for (const [what, input, expected] of action.cases) {
      it(`${action.name}: ${what}`, async () => {
        const call = await action.load();
        const before = await snapshot();
        for (const role of action.roles) {
          signInAs(role);
          expectClearRefusal(await call(input as never), expected);
        }
        expect(await snapshot()).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  }
});

// PostgreSQL refuses a NUL byte in text: on a real claim or batch the reason reaches the audit
// insert, so without a check up front the caller got "something went wrong" instead of a refusal.
describe("a NUL byte in a reason is refused up front, not by the database", () => {
  it("refuses a NUL byte in the reason on real claims and batches, changing nothing", async () => {
    const { createClaimGroup } = await import("../support/claims-factory");
    const { createBatch } = await import("@/lib/batches/create-batch");
    const claim = await createClaimGroup(db);
    const [admin] = await db.execute<{ id: number; email: string }>(
      sql`select id::int, email from users where email = 'admin@example.com'`,
    );
    const draft = await createBatch(
      db,
      {
        name: "hostile draft",
        reason: REASON,
        source: "selection",
        user: { id: Number(admin.id), email: admin.email },
        ratePerMinute: 60,
        start: false,
      },
      { claimIds: [claim.mainClaimId] },
    );
    const reason = "TICKET\u00007";
    const calls: [Role, () => Promise<unknown>][] = [
      [
        "admin",
        async () =>
          (await import("@/lib/actions/claims/exclude-claim")).excludeClaim({ claimId: claim.mainClaimId, reason }),
      ],
      [
        "triager",
        async () =>
          (await import("@/lib/actions/claims/resubmit-claim")).resubmitClaim({ claimId: claim.mainClaimId, reason }),
      ],
      [
        "triager",
        async () =>
          (await import("@/lib/actions/claims/resubmit-claims")).resubmitClaims({
            selection: { kind: "ids", ids: [claim.mainClaimId] },
            reason,
          }),
      ],
      [
        "triager",
        async () =>
          (await import("@/lib/actions/batches/set-batch-rate")).setBatchRateAction({
            batchId: draft.batchId,
            ratePerMinute: 61,
            reason,
          }),
      ],
      [
        "admin",
        async () =>
          (await import("@/lib/actions/batches/cancel-batch")).cancelBatchAction({ batchId: draft.batchId, reason }),
      ],
    ];
    const before = await snapshot();
    for (const [role, call] of calls) {
      signInAs(role);
      expectClearRefusal(await call(), /NUL character/);
    }
    expect(await snapshot()).toEqual(before);
  });
});

type RouteCall = (raw: string) => Promise<Response>;
const base = "http://localhost/api";
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const BAD_IDS = [
  "abc",
  "-1",
  "0",
  "1.5",
  "NaN",
  "Infinity",
  "1e400",
  "../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "1;drop table batches",
  "9".repeat(20_000),
  String(NO_SUCH),
];

async function routes(): Promise<[string, Role, RouteCall][]> {
  const progress = await import("@/app/api/batches/[id]/progress/route");
  const exportBatch = await import("@/app/api/batches/[id]/export/route");
  const document = await import("@/app/api/documents/[id]/route");
  const zip = await import("@/app/api/documents/zip/route");
  return [
    [
      "GET /api/batches/:id/progress",
      "viewer",
      (id) => progress.GET(new Request(`${base}/batches/x/progress`), params(id)),
    ],
    [
      "GET /api/batches/:id/export",
      "viewer",
      (id) => exportBatch.GET(new Request(`${base}/batches/x/export`), params(id)),
    ],
    ["GET /api/documents/:id", "triager", (id) => document.GET(new Request(`${base}/documents/x`), params(id))],
    [
      "GET /api/documents/zip?claimId",
      "triager",
      (id) => zip.GET(new Request(`${base}/documents/zip?claimId=${encodeURIComponent(id)}`)),
    ],
    [
      "GET /api/documents/zip?attemptId",
      "triager",
      (id) => zip.GET(new Request(`${base}/documents/zip?attemptId=${encodeURIComponent(id)}`)),
    ],
  ];
}

async function expectClearJsonError(response: Response, label: string) {
  expect(response.status, label).toBeGreaterThanOrEqual(400);
  expect(response.status, label).toBeLessThan(500);
  const body = (await response.json()) as { error?: string };
  const PLAIN_MESSAGES = [
    /Not a (batch|document) id\./,
    /Batch #\d+ does not exist\./,
    /No such (document|claim)\./,
    /No documents\./,
    /Give exactly one of attemptId or claimId\./,
  ];
  expect(body.error, label).toMatch(new RegExp(`^(${PLAIN_MESSAGES.map((m) => m.source).join("|")})$`));
}

describe("route handlers answer unknown, malformed and path-like ids with a 4xx and a plain message", () => {
  it("holds for every route and id", async () => {
    const before = await snapshot();
    for (const [name, role, call] of await routes()) {
      signInAs(role);
      for (const id of BAD_IDS) await expectClearJsonError(await call(id), `${name} ${id.slice(0, 30)}`);
    }
    // Only a success is audited: none of these were one.
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a zip request with both ids, or with megabytes of query string", async () => {
    const { GET } = await import("@/app/api/documents/zip/route");
    signInAs("admin");
    for (const query of [
      `attemptId=1&claimId=1`,
      `claimId=${"1".repeat(100_000)}`,
      `attemptId=${"%00".repeat(50_000)}`,
      `${"x".repeat(100_000)}=1`,
    ]) {
      await expectClearJsonError(await GET(new Request(`${base}/documents/zip?${query}`)), query.slice(0, 30));
    }
  });

  it("exports claims for hostile filter URLs without a 500: bad values are dropped, SQL is just text", async () => {
    const { GET } = await import("@/app/api/claims/export/route");
    signInAs("triager");
    // batch=NO_SUCH keeps every export empty; the other key is the hostile one.
    for (const query of [
      `q=${"x".repeat(100_000)}`,
      "q=%00",
      "q=smith%00",
      "reason=timeout%00",
      "q='%3B drop table saved_claims%3B --",
      "q=%25",
      "q=_",
      "q=%5C",
      "from=0000-01-01",
      "to=9999-12-31",
      "from=2022-02-30",
      `form=${"21-526EZ,".repeat(5_000)}`,
      "batch=-1",
      "batch=1e400",
    ]) {
      const response = await GET(new Request(`${base}/claims/export?batch=${NO_SUCH}&${query}`));
      expect(response.status, query.slice(0, 30)).toBe(200);
      expect((await response.text()).trim().split("\r\n"), query.slice(0, 30)).toHaveLength(1); // the header only
    }
    expect((await snapshot()).table_exists).toBe(true);
  });
});

describe("claims search and filters treat hostile text as plain values", () => {
  let fingerprint: string;
  beforeAll(async () => {
    const [row] = await db.execute<{ reason: string }>(
      sql`select failure_reason as reason from saved_claims where failure_reason is not null limit 1`,
    );
    fingerprint = row.reason;
  });
  const NOTHING_MATCHES = [
    "'; drop table saved_claims; --",
    "%",
    "_",
    "\\",
    "%' or '1'='1",
    "\u0000",
    "smith\u0000",
    "\u0000; drop table batches",
    "😀",
    "\uD800",
    "Ω".repeat(200),
    "ｓｍｉｔｈ",
    "\u202Esmith",
    "#-1",
    "1".repeat(16),
    "00000000-0000-0000-0000-000000000000",
    "$1",
    ":name",
    "?",
  ];

  it("returns empty pages, counts and reason groups, without an error, for every role's search", async () => {
    const before = await snapshot();
    for (const q of NOTHING_MATCHES) {
      for (const piiSearch of [true, false]) {
        const where = claimsWhere({ q }, { piiSearch });
        const label = `${JSON.stringify(q).slice(0, 30)} pii=${piiSearch}`;
        expect(
          (await getClaimsPage(db, { where, sort: { id: "submittedAt", desc: true }, pageIndex: 0, pageSize: 25 }))
            .records,
          label,
        ).toEqual([]);
        expect(await countClaims(db, where), label).toEqual({ count: 0, exact: true });
        expect(await getFailureReasonCounts(db, where), label).toEqual([]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("matches a failure reason only exactly: LIKE wildcards and NUL bytes match nothing", async () => {
    for (const failureReason of ["%", "_%", `${fingerprint}%`, `${fingerprint}\u0000`, "\u0000"]) {
      const where = claimsWhere({ failureReason }, { piiSearch: true });
      expect(await countClaims(db, where), JSON.stringify(failureReason)).toEqual({ count: 0, exact: true });
    }
  });

  it("reads hostile URLs into a filter that can be queried (bad values dropped, never thrown)", async () => {
    for (const query of [
      "q=%00",
      "reason=%00",
      "from=0000-01-01",
      "to=9999-12-31",
      "from=2022-02-30&to=2022-02-31",
      `q=${"'".repeat(300)}`,
      "batch=0x10",
      "state=never_tried,'); drop table x; --",
    ]) {
      const filter = parseClaimsFilter(new URLSearchParams(query));
      const where = claimsWhere({ ...filter, batchId: NO_SUCH }, { piiSearch: true });
      expect(await countClaims(db, where), query).toEqual({ count: 0, exact: true });
    }
  });
});
