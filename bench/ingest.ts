import { spawn } from "node:child_process";
import { createWriteStream, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createIngestSample } from "@/db/seed/ingest-sample";
import {
  cpuSeconds,
  ensureBuild,
  killOnExit,
  peakRssMb,
  postgresCpuSeconds,
  postmasterOfBackend,
  startNextServer,
} from "./load-app";
import type { BenchRow } from "./support";
import { benchAppEnv } from "./worker-process";

// Ingest figures (issue #12): records/s from a file (`npm run ingest`, its own process, as a source's
// export would be loaded) and over HTTP (POST /api/ingest/submissions on the production build, 5,000
// records a request, three senders, BENCH_INGEST_HTTP_RECORDS of other veterans into the database the
// file filled, after its vacuum), and the time and peak memory to load BENCH_INGEST_RECORDS
// (1,000,000) records from one file. Records come from db/seed/ingest-sample.ts (the DESIGN §9 mix).

const TOKEN = `bench-ingest-token-${"b".repeat(32)}`;
const REQUEST_RECORDS = 5_000;
// Enough requests in flight to keep the server busy, so the figure is the server's, not the
// client's: with two, each sender's next request arrives only after its last one's answer, and
// the two cores were 79-80% busy in three runs (three alternating pairs on 2026-12-04, into a
// million claims); with three 85-87%; with four 88-90%, but PostgreSQL spent a tenth to a fifth
// more CPU a record on contention (docs/ingest.md).
const SENDERS = 3;

async function writeSample(file: string, count: number, system: string) {
  const next = createIngestSample({ seed: 4242, system });
  const out = createWriteStream(file);
  let written = 0;
  while (written < count) {
    const lines: string[] = [];
    while (lines.length < 1_000 && written < count)
      for (const record of next()) {
        if (written >= count) break;
        lines.push(JSON.stringify(record));
        written++;
      }
    if (!out.write(`${lines.join("\n")}\n`)) await new Promise((resolve) => out.once("drain", resolve));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

// `npm run ingest -- FILE` as its own process, its heap capped (V8 otherwise grows its heap lazily
// up to its default, which says nothing): finishing under the cap, and its peak RSS, say memory stayed
// flat. Three chunks of 10,000 records are in memory at once (two written, one prepared; the written
// ones as JSON text), live heap 120-180 MB after a full collection for records this size. Near its
// cap V8 collects far more often: at 512 MB the import spent 10-25% more Node CPU than at 1 GB in
// alternating runs of 300,000 records (49-66 against 63-71 CPU-s) for about 50 MB less peak RSS
// (610 against 660 MB); `npm run ingest` itself runs with V8's default limit.
const IMPORT_HEAP_MB = 1024;
// What package.json's "ingest" script gives node: a young generation of 64 MB semi-spaces. A
// chunk's records live a few seconds, long enough to outlive V8's default young generation and be
// copied into the old one; with room, most die young. In alternating runs of 200,000 records Node
// used 9-28% less CPU in four pairs of five (2% more in the other) for 40-130 MB more peak RSS.
const INGEST_NODE_FLAGS = ["--max-semi-space-size=64"];
async function importFile(url: string, file: string) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${IMPORT_HEAP_MB}`, ...INGEST_NODE_FLAGS, "--import", "tsx", "lib/ingest/cli.ts", file],
    {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  killOnExit(child);
  let report = "";
  child.stdout!.on("data", (d) => {
    report += String(d);
  });
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, peakRssMb(child.pid!) || 0);
  }, 500);
  const code = await new Promise<number>((resolve) => child.once("exit", (c) => resolve(c ?? 1)));
  clearInterval(timer);
  if (code !== 0 && code !== 3) throw new Error(`npm run ingest exited ${code}: ${report}`);
  const created = Number(/created (\d+)/.exec(report)?.[1] ?? 0);
  return { seconds: (performance.now() - started) / 1000, peakMb: peak, created };
}

// The request bodies, made before the web app starts: making them is the source's work, on its own
// machine, and on this one it took a core from the server being measured. (Made after the server
// started, they left the client's first connection idle for seconds, past the server's keep-alive
// timeout: a run under perf once failed with EPIPE on it.)
function requestBodies(count: number, system: string): string[] {
  // Other veterans than the file's (about 720,000 for a million records): a second sample numbered
  // from 1 made one in twenty of its records the same veteran's same form as a claim already held,
  // whose duplicate rule then rewrote an old claim (every index of a cold page) per such record.
  const next = createIngestSample({ seed: 5151, system, firstVeteran: 800_001 });
  let made = 0;
  const body = () => {
    const lines: string[] = [];
    while (lines.length < REQUEST_RECORDS && made < count)
      for (const record of next()) {
        if (lines.length >= REQUEST_RECORDS || made >= count) break;
        lines.push(JSON.stringify(record));
        made++;
      }
    return lines.length ? `${lines.join("\n")}\n` : null;
  };
  const bodies: string[] = [];
  for (let payload = body(); payload; payload = body()) bodies.push(payload);
  return bodies;
}

async function postAll(baseUrl: string, bodies: string[]) {
  let created = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let payload = bodies.shift(); payload; payload = bodies.shift()) {
        const response = await fetch(`${baseUrl}/api/ingest/submissions`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-ndjson" },
          body: payload,
        });
        if (!response.ok) throw new Error(`POST /api/ingest/submissions: ${response.status} ${await response.text()}`);
        created += ((await response.json()) as { counts: { created: number } }).counts.created;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, created };
}

// The machine's CPU time so far, busy and in all (ms, every core).
function machineCpu() {
  let busy = 0;
  let all = 0;
  for (const { times } of os.cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    all += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, all };
}

// The PostgreSQL server's main process when it runs on this machine (NaN otherwise: its CPU is not
// counted).
async function postmasterOf(url: string) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    return postmasterOfBackend(Number(row.pid));
  } finally {
    await sql.end();
  }
}

async function vacuumAnalyze(url: string) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`vacuum (analyze)`;
  } finally {
    await sql.end();
  }
}

export async function benchIngest(
  url: string,
  scratch: string,
  options: { fileRecords: number; httpRecords: number; distDir?: string },
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const file = path.join(scratch, "ingest-sample.ndjson");

  let t = performance.now();
  await writeSample(file, options.fileRecords, "bench-file");
  const mb = statSync(file).size / 2 ** 20;
  say(
    `ingest: wrote ${options.fileRecords} sample records (${mb.toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const imported = await importFile(url, file);
  rows.push({
    name: `ingest from a file: ${options.fileRecords.toLocaleString("en-US")} records (${mb.toFixed(0)} MB NDJSON), npm run ingest`,
    value: `${(imported.seconds / 60).toFixed(1)} min, ${Math.round(options.fileRecords / imported.seconds).toLocaleString("en-US")} records/s, peak RSS ${imported.peakMb.toFixed(0)} MB (heap capped at ${IMPORT_HEAP_MB} MB)`,
    target: "≤ 4 min for 1,000,000; ≥ 5,000 records/s; memory flat",
  });

  if (options.httpRecords > 0 && options.fileRecords > 0) {
    // What an operator does after a first load this size (docs/ingest.md): autovacuum would get to
    // it within minutes, on a core the requests measured next need. Its own line, not in either figure.
    t = performance.now();
    await vacuumAnalyze(url);
    rows.push({
      name: `after the file import: vacuum (analyze) of ${options.fileRecords.toLocaleString("en-US")} claims`,
      value: `${((performance.now() - t) / 1000).toFixed(1)} s`,
    });
  }

  if (options.httpRecords > 0) {
    const distDir = options.distDir ?? ".next-bench";
    // The web app starts with every production setting; ingest calls neither service.
    const unusedKey = "bench-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000001";
    const service = {
      url: "http://127.0.0.1:9",
      apiKey: "bench-unused",
      notifyUrl: "http://127.0.0.1:9",
      notifyApiKey: unusedKey,
    };
    const env: NodeJS.ProcessEnv = {
      ...(await benchAppEnv(url, scratch, service)),
      INGEST_TOKENS: TOKEN,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    const bodies = requestBodies(options.httpRecords, "bench-http");
    t = performance.now();
    const build = await ensureBuild(distDir, env, say);
    const server = await startNextServer({ distDir, env, logFile: path.join(scratch, "next-ingest.log") });
    say(`ingest: ${build} build, server on ${server.url} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    try {
      // What each record cost, and how busy the cores were: the same code runs at very different
      // rates as the host's speed drifts (docs/ingest.md), and these tell a slow spell from a slower
      // build.
      const postmaster = await postmasterOf(url);
      const cpuAt = () => ({ web: cpuSeconds(server.pid), db: postgresCpuSeconds(postmaster), ...machineCpu() });
      const before = cpuAt();
      const posted = await postAll(server.url, bodies);
      const after = cpuAt();
      const perRecord = (seconds: number) => `${Math.round((seconds * 1e6) / options.httpRecords)} µs`;
      const busy = (100 * (after.busy - before.busy)) / (after.all - before.all);
      rows.push({
        name: `ingest over HTTP: ${options.httpRecords.toLocaleString("en-US")} records, ${REQUEST_RECORDS.toLocaleString("en-US")} a request, ${SENDERS} senders`,
        value: `${Math.round(options.httpRecords / posted.seconds).toLocaleString("en-US")} records/s (${posted.seconds.toFixed(1)} s)`,
        target: "≥ 5,000 records/s",
      });
      rows.push({
        name: "  its CPU a record: web server, PostgreSQL; cores busy",
        value: `${perRecord(after.web - before.web)}, ${Number.isNaN(postmaster) ? "not on this machine" : perRecord(after.db - before.db)}; ${busy.toFixed(0)}%`,
      });
    } finally {
      await server.stop();
    }
  }
  return rows;
}
