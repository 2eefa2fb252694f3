import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { gunzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { seededRandom } from "@/lib/seeded-random";

// The people of the load benchmark: each session walks its role's round of pages, one request at a
// time, by default with no think time (a closed loop, like one autocannon connection per session):
// full HTML documents as a browser's first load asks for them, gzip accepted. Every answer is
// checked: a 200 with a complete document and no streamed error boundary, or it counts as failed.

export type Role = "viewer" | "triager" | "admin";
export const PAGE_KINDS = [
  "overview",
  "claims list",
  "claims list, filtered",
  "claims list, search",
  "claim page",
  "batches",
  "batch page",
  "batch progress (poll)",
  "audit log",
] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export type Sample = {
  kind: PageKind;
  path: string;
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  problem?: string;
  warmUp?: boolean;
};

type Catalogue = {
  claimIds: number[];
  lastNames: string[];
  last4s: string[];
  reasons: string[];
  batchIds: number[];
  runningBatchId: number;
  auditActions: string[];
};

export async function loadCatalogue(db: Db, runningBatchId: number): Promise<Catalogue> {
  const rows = <T>(q: ReturnType<typeof sql>) => db.execute(q).then((r) => Array.from(r as unknown as T[]));
  const claims = await rows<{ id: number; last: string; last4: string }>(
    sql`select id, veteran_last_name as last, file_last4 as last4 from saved_claims tablesample system (1) repeatable (7) limit 300`,
  );
  const fallback = claims.length
    ? []
    : await rows<{ id: number; last: string; last4: string }>(
        sql`select id, veteran_last_name as last, file_last4 as last4 from saved_claims order by id limit 300`,
      );
  const sample = claims.length ? claims : fallback;
  const reasons = await rows<{ r: string }>(
    sql`select failure_reason as r from (select failure_reason from saved_claims where failure_reason is not null limit 20000) s group by 1 order by count(*) desc limit 6`,
  );
  const batches = await rows<{ id: number }>(sql`select id from batches order by id desc limit 20`);
  const actions = await rows<{ a: string }>(sql`select distinct action as a from audit_events limit 20`);
  return {
    claimIds: sample.map((c) => Number(c.id)),
    lastNames: sample.map((c) => c.last).filter(Boolean),
    last4s: sample.map((c) => c.last4).filter(Boolean),
    reasons: reasons.map((r) => r.r),
    batchIds: batches.map((b) => Number(b.id)),
    runningBatchId,
    auditActions: actions.map((a) => a.a),
  };
}

type Pick = <T>(items: T[]) => T;

function pageFor(kind: PageKind, c: Catalogue, pick: Pick, random: () => number): string {
  const q = (params: Record<string, string>) => `/claims?${new URLSearchParams(params)}`;
  switch (kind) {
    case "overview":
      return "/";
    case "claims list":
      return pick([
        "/claims",
        "/claims?sort=submittedAt.asc",
        `/claims?page=${2 + Math.floor(random() * 200)}`,
        "/claims?size=100",
        "/claims?sort=id.desc&page=2",
      ]);
    case "claims list, filtered":
      return pick([
        q({ form: "21-686C" }),
        q({ state: "never_tried", blackHole: "yes" }),
        q({ state: "failed,never_tried", blackHole: "yes" }),
        q({ state: "failed", sort: "submittedAt.asc", page: "3" }),
        q({ from: "2022-03-01", to: "2022-04-30" }),
        q({ form: "21-526EZ", state: "never_tried", page: String(2 + Math.floor(random() * 50)) }),
        q({ batch: String(c.runningBatchId) }),
        ...(c.reasons.length
          ? [q({ reason: pick(c.reasons) }), q({ reason: pick(c.reasons), state: "never_tried" })]
          : []),
      ]);
    case "claims list, search":
      return pick([q({ q: pick(c.lastNames) }), q({ q: pick(c.last4s) }), q({ q: String(pick(c.claimIds)) })]);
    case "claim page":
      return `/claims/${pick(c.claimIds)}`;
    case "batches":
      return pick(["/batches", "/batches?page=2"]);
    case "batch page":
      return pick([
        `/batches/${c.runningBatchId}`,
        `/batches/${c.runningBatchId}?state=submitted`,
        `/batches/${pick(c.batchIds)}`,
      ]);
    case "batch progress (poll)":
      return `/api/batches/${c.runningBatchId}/progress`;
    case "audit log":
      return pick([
        "/audit",
        "/audit?page=2",
        ...(c.auditActions.length ? [`/audit?action=${encodeURIComponent(pick(c.auditActions))}`] : []),
        "/audit?user=triager%40example.com",
      ]);
  }
}

// Each role's round. Leadership watches the overview and the batch; triagers live in the claims
// list; admins add the audit log. The open batch page polls its progress, as the browser does.
const ROUNDS: Record<Role, PageKind[]> = {
  viewer: [
    "overview",
    "claims list",
    "batches",
    "batch page",
    "batch progress (poll)",
    "claims list, filtered",
    "batch progress (poll)",
    "claim page",
    "overview",
    "claims list, filtered",
  ],
  triager: [
    "claims list",
    "claims list, filtered",
    "claims list, search",
    "claim page",
    "claims list, filtered",
    "claim page",
    "batch page",
    "batch progress (poll)",
    "claims list, filtered",
    "claims list, search",
    "claim page",
    "batches",
  ],
  admin: [
    "overview",
    "audit log",
    "claims list, filtered",
    "batch page",
    "batch progress (poll)",
    "audit log",
    "claims list, search",
    "claim page",
    "batches",
    "claims list",
  ],
};

function get(agent: http.Agent, base: URL, path: string, cookie: string) {
  return new Promise<{ status: number; ttfbMs: number; totalMs: number; body: Buffer; gzip: boolean }>(
    (resolve, reject) => {
      const started = performance.now();
      const req = http.get(
        {
          host: base.hostname,
          port: base.port,
          path,
          agent,
          headers: {
            cookie,
            accept: "text/html,application/json",
            "accept-encoding": "gzip",
            "user-agent": "claim-triage-load-bench",
          },
        },
        (res) => {
          const ttfbMs = performance.now() - started;
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              ttfbMs,
              totalMs: performance.now() - started,
              body: Buffer.concat(chunks),
              gzip: res.headers["content-encoding"] === "gzip",
            }),
          );
          res.on("error", reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error("timed out after 60 s")));
      req.on("error", reject);
    },
  );
}

// What a person would see as broken although the status is 200: a streamed error boundary or a
// document cut short.
function problemWith(kind: PageKind, status: number, text: string): string | undefined {
  if (status < 200 || status > 299) return `HTTP ${status}`;
  if (kind === "batch progress (poll)") {
    try {
      JSON.parse(text);
      return undefined;
    } catch {
      return "progress is not JSON";
    }
  }
  if (!text.includes("</html>")) return "document not complete";
  if (/could not be loaded|Something went wrong|Application error/i.test(text)) return "error boundary shown";
  if (/data-dgst="(?!NEXT_(NOT_FOUND|REDIRECT|HTTP_ERROR))/.test(text)) return "a streamed section failed (data-dgst)";
  return undefined;
}

export type Session = { role: Role; cookie: string };

// At most `limit` requests in flight across all sessions, first come first served.
function gate(limit: number) {
  let free = limit;
  const waiting: (() => void)[] = [];
  return {
    async enter() {
      if (free > 0) free--;
      else await new Promise<void>((r) => waiting.push(r));
    },
    leave() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

// Runs every session until `endAt` (performance.now() time); answers that started before
// `measureFrom` are marked warm-up (kept for their failures only). `inFlight` below the number of sessions queues them (the
// baseline: the same sessions and pages, one request at a time).
export async function runSessions(
  baseUrl: string,
  sessions: Session[],
  catalogue: Catalogue,
  window: { measureFrom: number; endAt: number; inFlight?: number; seed?: number; thinkMs?: number },
): Promise<Sample[]> {
  const base = new URL(baseUrl);
  const samples: Sample[] = [];
  const turn = gate(window.inFlight ?? sessions.length);
  await Promise.all(
    sessions.map(async (session, i) => {
      const random = seededRandom((window.seed ?? 1) * 1000 + i);
      const pick: Pick = (items) => items[Math.floor(random() * items.length)];
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const round = ROUNDS[session.role];
      try {
        for (let step = i; performance.now() < window.endAt; step++) {
          const kind = round[step % round.length];
          const path = pageFor(kind, catalogue, pick, random);
          await turn.enter();
          if (performance.now() >= window.endAt) {
            turn.leave();
            break;
          }
          const startedAt = performance.now();
          let sample: Sample;
          try {
            const res = await get(agent, base, path, session.cookie);
            const text = (res.gzip ? gunzipSync(res.body) : res.body).toString("utf8");
            sample = {
              kind,
              path,
              status: res.status,
              ttfbMs: res.ttfbMs,
              totalMs: res.totalMs,
              bytes: res.body.length,
              problem: problemWith(kind, res.status, text),
            };
          } catch (e) {
            sample = {
              kind,
              path,
              status: 0,
              ttfbMs: NaN,
              totalMs: performance.now() - startedAt,
              bytes: 0,
              problem: e instanceof Error ? e.message : String(e),
            };
          }
          turn.leave();
          samples.push(startedAt >= window.measureFrom ? sample : { ...sample, warmUp: true });
          if (window.thinkMs) await sleep(window.thinkMs * (0.5 + random()));
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  return samples;
}
