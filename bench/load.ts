import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { createBatch } from "@/lib/batches/create-batch";
import { createBoss, setBoss } from "@/lib/jobs/boss";
import { createQueues } from "@/lib/jobs/registry";
import { workerNodeArgs } from "@/lib/jobs/worker-process";
import { type LocalBenefitsIntake, startLocalBenefitsIntake } from "@/local/benefits-intake";
import {
  cpuSeconds,
  ensureBuild,
  killOnExit,
  type NextServer,
  peakRssMb,
  postgresCpuSeconds,
  postmasterOfBackend,
  signInSession,
  startNextServer,
  stopChild,
} from "./load-app";
import { loadCatalogue, PAGE_KINDS, type Role, runSessions, type Sample, type Session } from "./load-users";
import { type BenchRow, ms, percentile } from "./support";
import { benchAppEnv } from "./worker-process";

// Issue #7: 20 sessions browsing and filtering the real app (production build, `next start`) while a
// batch runs through a worker and the local Benefits Intake service. End-to-end page time as the
// client sees it: from the request to the last byte of the streamed document.

export type LoadOptions = {
  sessions?: number; // 20
  seconds?: number; // measured, 30
  warmupSeconds?: number; // not kept, 5
  baselineSeconds?: number; // the same sessions one request at a time, before the load, 10
  thinkMs?: number; // a session's pause between pages (0.5–1.5 ×), 0: back to back like autocannon
  ratePerMinute?: number; // the batch's rate limit, 600
  latencyMs?: number; // the local Benefits Intake service's answer time, 50
  distDir?: string; // the build's own directory, .next-bench
  log?: (s: string) => void;
};

// 20 sessions: half triagers, three in ten viewers, the rest admins.
function roleMix(n: number): Role[] {
  return Array.from({ length: n }, (_, i) => (i % 10 < 5 ? "triager" : i % 10 < 8 ? "viewer" : "admin"));
}

const EMAIL: Record<Role, string> = {
  viewer: "viewer@example.com",
  triager: "triager@example.com",
  admin: "admin@example.com",
};

function stats(times: number[]) {
  const sorted = times.filter((t) => Number.isFinite(t)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export async function benchLoad(url: string, scratch: string, options: LoadOptions = {}): Promise<BenchRow[]> {
  const sessionsWanted = options.sessions ?? 20;
  const seconds = options.seconds ?? 30;
  const warmup = options.warmupSeconds ?? 5;
  const baselineSeconds = options.baselineSeconds ?? 10;
  const ratePerMinute = options.ratePerMinute ?? 600;
  const distDir = options.distDir ?? ".next-bench";
  const say = options.log ?? ((s: string) => process.stderr.write(`${s}\n`));

  let service: LocalBenefitsIntake | undefined;
  let worker: ChildProcess | undefined;
  let server: NextServer | undefined;
  const { db, close } = createDb(url, { max: 2 });
  const boss = createBoss(url, { max: 2 });
  boss.on("error", () => {});
  let batchId: number | undefined;
  try {
    service = await startLocalBenefitsIntake({
      port: 0,
      dataDir: path.join(scratch, "bi-load"),
      stepMs: 60_000,
      storePayloads: false,
      faults: { latencyMs: options.latencyMs ?? 50 },
    });
    const env: NodeJS.ProcessEnv = { ...(await benchAppEnv(url, scratch, service)), NEXT_TELEMETRY_DISABLED: "1" };
    const build = await ensureBuild(distDir, env, say);

    await boss.start();
    await createQueues(boss);
    setBoss(boss);
    worker = spawn(process.execPath, workerNodeArgs(), {
      env: { ...env, NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    killOnExit(worker);
    server = await startNextServer({ distDir, env, logFile: path.join(scratch, "next-load.log") });
    say(`load: ${build} build, server on ${server.url}`);

    const roles = roleMix(sessionsWanted);
    const sessions: Session[] = [];
    for (const role of roles) sessions.push({ role, cookie: await signInSession(server.url, EMAIL[role]) });

    // A batch that outlasts the run at its rate: never-tried claims no batch has taken yet.
    const [admin] = Array.from(
      await db.execute<{ id: number; email: string }>(sql`select id, email from users where role = 'admin' limit 1`),
    );
    const size = Math.ceil(((seconds + warmup + baselineSeconds + 30) * ratePerMinute) / 60);
    const where = sql`id in (select c.id from saved_claims c where c.triage_state = 'never_tried' and c.main_claim_id = c.id and not exists (select 1 from batch_items i where i.claim_id = c.id) order by c.id limit ${size})`;
    const batch = await createBatch(
      db,
      {
        name: "load bench",
        reason: "benchmark",
        source: "filter",
        user: { id: Number(admin.id), email: admin.email },
        ratePerMinute,
        start: true,
      },
      { where },
    );
    batchId = batch.batchId;
    const catalogue = await loadCatalogue(db, batchId);

    const done = async () => {
      const [row] = Array.from(
        await db.execute<{ done: number }>(
          sql`select count(*) filter (where state not in ('pending', 'in_progress'))::int as done from batch_items where batch_id = ${batchId}`,
        ),
      );
      return row.done;
    };
    // Wait for the batch to move before loading the pages, so the load really meets it.
    for (let i = 0; i < 60 && (await done()) === 0; i++) await sleep(500);

    say(
      `load: ${sessions.length} sessions: ${warmup} s warm-up, ${baselineSeconds} s one request at a time, ${seconds} s all at once; batch #${batchId} of ${batch.itemCount} claims at ${ratePerMinute}/min`,
    );
    const phase = (secs: number, seed: number, keep: boolean, inFlight?: number) => {
      const now = performance.now();
      return runSessions(server!.url, sessions, catalogue, {
        measureFrom: keep ? now : Infinity,
        endAt: now + secs * 1000,
        inFlight,
        seed,
        thinkMs: inFlight === 1 ? 0 : options.thinkMs,
      });
    };
    const warmUp = await phase(warmup, 1, false);
    const baseline = baselineSeconds > 0 ? await phase(baselineSeconds, 2, true, 1) : [];

    // The database's CPU too, when it runs on this machine (NaN otherwise).
    const [backend] = Array.from(await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`));
    const postmaster = postmasterOfBackend(Number(backend.pid));
    const cpuNow = () => ({
      web: cpuSeconds(server!.pid),
      worker: cpuSeconds(worker!.pid!),
      db: postgresCpuSeconds(postmaster),
    });
    const cpuAtStart = cpuNow();
    const doneAtStart = await done();
    const loadAtStart = os.loadavg()[0];
    const measureFrom = performance.now();
    const samples = await phase(seconds, 3, true);
    const measuredSeconds = (performance.now() - measureFrom) / 1000;
    const cpuEnd = cpuNow();
    const cpu = {
      web: cpuEnd.web - cpuAtStart.web,
      worker: cpuEnd.worker - cpuAtStart.worker,
      db: cpuEnd.db - cpuAtStart.db,
    };
    const processed = (await done()) - doneAtStart;
    const serverRss = peakRssMb(server.pid);
    const serverErrors = readFileSync(server.logFile, "utf8")
      .split("\n")
      .filter((l) => /error|⨯/i.test(l));
    const loadAverage = [loadAtStart, os.loadavg()[0]];
    return report({
      thinkMs: options.thinkMs ?? 0,
      samples: samples.filter((s) => !s.warmUp),
      failedElsewhere: [...warmUp, ...baseline].filter((s) => s.problem),
      baseline,
      baselineSeconds,
      loadAverage,
      sessions,
      seconds: measuredSeconds,
      processed,
      itemCount: batch.itemCount,
      ratePerMinute,
      serverRss,
      serverErrors,
      cpu,
      say,
    });
  } finally {
    if (batchId !== undefined)
      await db
        .execute(sql`update batches set state = 'cancelled' where id = ${batchId} and state in ('queued', 'running')`)
        .catch(() => {});
    if (server) await server.stop();
    if (worker) await stopChild(worker, 20_000);
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await service?.close();
    await close();
  }
}

function report(r: {
  thinkMs: number;
  samples: Sample[];
  failedElsewhere: Sample[];
  baseline: Sample[];
  baselineSeconds: number;
  loadAverage: number[];
  sessions: Session[];
  seconds: number;
  processed: number;
  itemCount: number;
  ratePerMinute: number;
  serverRss: number;
  serverErrors: string[];
  cpu: { web: number; worker: number; db: number };
  say: (s: string) => void;
}): BenchRow[] {
  const pages = r.samples.filter((s) => s.kind !== "batch progress (poll)");
  const all = stats(pages.map((s) => s.totalMs));
  const ttfb = stats(pages.map((s) => s.ttfbMs));
  const non2xx = r.samples.filter((s) => s.status < 200 || s.status > 299);
  const broken = r.samples.filter((s) => s.problem);
  const failedElsewhere = r.failedElsewhere.length ? ` (+ ${r.failedElsewhere.length} failed in warm-up/baseline)` : "";
  const count = (role: Role) => r.sessions.filter((s) => s.role === role).length;
  const who = `${r.sessions.length} sessions (${count("triager")} triagers, ${count("viewer")} viewers, ${count("admin")} admins${r.thinkMs ? `, ~${r.thinkMs} ms think time` : ""})`;
  const rows: BenchRow[] = [
    {
      name: `load: ${who}, ${r.seconds.toFixed(0)} s, page time p50 / p95 / p99`,
      value: `${ms(all.p50)} / ${ms(all.p95)} / ${ms(all.p99)}`,
      target: "p95 ≤ 500 ms, end-to-end page time",
    },
    {
      name: "load: throughput (pages + progress polls), failures",
      value: `${(r.samples.length / r.seconds).toFixed(1)} req/s · ${non2xx.length} non-2xx · ${broken.length} broken${failedElsewhere}`,
      target: "0 failures",
    },
    { name: "load: time to first byte, pages, p50 / p95", value: `${ms(ttfb.p50)} / ${ms(ttfb.p95)}` },
  ];
  if (r.baseline.length) {
    const one = stats(r.baseline.filter((s) => s.kind !== "batch progress (poll)").map((s) => s.totalMs));
    rows.push({
      name: "load: baseline, same pages one request at a time: p50 / p95 · req/s",
      value: `${ms(one.p50)} / ${ms(one.p95)} · ${(r.baseline.length / r.baselineSeconds).toFixed(1)}`,
    });
  }
  // Per page, beside the same page alone (baseline): which pages are slow in themselves, and which
  // only wait their turn.
  for (const kind of PAGE_KINDS) {
    const k = stats(r.samples.filter((s) => s.kind === kind).map((s) => s.totalMs));
    if (k.n === 0) continue;
    const alone = stats(r.baseline.filter((s) => s.kind === kind).map((s) => s.totalMs));
    rows.push({
      name: `load: ${kind} (${k.n})`,
      value: `p50 ${ms(k.p50)} p95 ${ms(k.p95)} max ${ms(k.max)}${alone.n ? ` · alone p50 ${ms(alone.p50)} max ${ms(alone.max)}` : ""}`,
    });
  }
  rows.push({
    name: `load: batch during the run (rate limit ${r.ratePerMinute}/min)`,
    value: `${r.processed} claims, ${(r.processed / r.seconds).toFixed(1)}/s`,
    target: `${(r.ratePerMinute / 60).toFixed(0)}/s`,
  });
  // CPU time does not depend on what else the machine runs; wall time does.
  const cores = (cpu: number) => (cpu / r.seconds).toFixed(2);
  rows.push({ name: "load: web server CPU per request", value: ms((r.cpu.web * 1000) / r.samples.length) });
  rows.push({
    name: "load: busy cores, web server / PostgreSQL (pages + batch) / worker",
    value: `${cores(r.cpu.web)} / ${cores(r.cpu.db)} / ${cores(r.cpu.worker)} of ${os.cpus().length}`,
  });
  rows.push({ name: "load: web server peak RSS", value: `${r.serverRss.toFixed(0)} MB` });
  rows.push({
    name: "load: machine load average (1 min) at start / end",
    value: r.loadAverage.map((l) => l.toFixed(1)).join(" / "),
  });
  if (r.serverErrors.length)
    rows.push({ name: "load: error lines in the server log", value: String(r.serverErrors.length), target: "0" });

  // The figures say there were failures; these say which.
  const slowest = [...pages].sort((a, b) => b.totalMs - a.totalMs).slice(0, 5);
  r.say(`load: slowest pages: ${slowest.map((s) => `${s.path} ${ms(s.totalMs)}`).join(", ")}`);
  for (const s of [...r.failedElsewhere, ...broken].slice(0, 10)) r.say(`load: FAILED ${s.path}: ${s.problem}`);
  for (const line of r.serverErrors.slice(0, 20)) r.say(`load: server: ${line}`);
  return rows;
}
