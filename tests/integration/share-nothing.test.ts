import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { markDemoDatabase } from "@/db/demo-database";
import { type EmbeddedDatabase, startEmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { users } from "@/db/schema";
import { createBatch } from "@/lib/batches/create-batch";
import { createS3DocumentStorage } from "@/lib/storage/s3-storage";
import { type LocalBenefitsIntake, startLocalBenefitsIntake } from "@/local/benefits-intake";
import { ensureBuild, freePort, signInSession } from "../../bench/load-app";
import { waitFor } from "../support/backup-harness";
import { createClaimGroups, testVeteran } from "../support/claims-factory";
import { adminApi } from "../support/local-benefits-intake";
import { handWrittenPdf } from "../support/pdf-test-files";
import { PRODUCTION_SETTINGS } from "../support/production-env";
import { type S3TestServer, startS3Server } from "../support/s3-server";
import { spawnWorkerEntry, type WorkerEntry } from "../support/worker-entry";

// Issue #14: the app on more than one machine. The web app (`next start`, production build) and two
// workers (`npm run worker`'s entry) run as separate processes, each with an empty folder of its own
// (TMPDIR, STORAGE_DIR, CLAIM_TRIAGE_DATA_DIR), sharing nothing but one PostgreSQL and object
// storage (s3rver). They run from the checkout, as each machine runs from its own copy of it (the
// start-up check of the database driver looks in the working directory's node_modules); none of
// them writes a file there or in its own folder. A batch of 500 claims completes with each claim uploaded exactly once, counted
// at the local Benefits Intake, and every stamped PDF downloads through the web app, signed in.
// Then what an orchestrator sees: health and readiness with PostgreSQL stopped and back, and SIGTERM.
// SHARE_NOTHING_RUNS=3 runs the batch three times over (one build, one set of processes).

const root = process.cwd();
// The build production-start.test.ts makes (and reuses while no source is newer): CI builds once.
// SHARE_NOTHING_DIST_DIR names a build of one's own instead, used as it is once it exists (for
// repeated runs in a tree others are editing, where the shared one would be rebuilt each time).
const OWN_BUILD = process.env.SHARE_NOTHING_DIST_DIR;
const DIST_DIR = OWN_BUILD ?? ".next-production-start";
const RUNS = Number(process.env.SHARE_NOTHING_RUNS ?? 1);
const CLAIMS = 500;
const INGEST_TOKEN = randomBytes(24).toString("hex");

let scratch: string;
let pg: EmbeddedDatabase;
let pgPort: number;
let pgDir: string;
let s3: S3TestServer;
let service: LocalBenefitsIntake;
let db: ReturnType<typeof createDb>;
let web: { child: ChildProcess; url: string; output: () => string; exited: Promise<number | string> };
const workers: WorkerEntry[] = [];
const folders: string[] = [];

// An empty folder for one process: its temporary files, its (unused) local storage and data folder.
function ownFolder(name: string) {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, "tmp"), { recursive: true });
  folders.push(dir);
  return {
    env: {
      TMPDIR: path.join(dir, "tmp"),
      STORAGE_DIR: path.join(dir, "storage"),
      CLAIM_TRIAGE_DATA_DIR: path.join(dir, "data"),
    },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

async function startWeb(env: Record<string, string>) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const folder = ownFolder("web");
  const nextScript = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, [nextScript, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...env,
      ...folder.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIR,
      NEXTAUTH_URL: url,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | string>((r) => child.once("exit", (code, signal) => r(code ?? signal ?? 1)));
  await waitFor(
    "the web app to be ready",
    async () => {
      if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output.slice(-3000)}`);
      return (await fetch(`${url}/api/ready`).catch(() => null))?.status === 200;
    },
    120_000,
  );
  return { child, url, output: () => output, exited };
}

beforeAll(async () => {
  if (!(OWN_BUILD && existsSync(path.join(root, OWN_BUILD, "BUILD_ID"))))
    await ensureBuild(DIST_DIR, { PATH: process.env.PATH, ...PRODUCTION_SETTINGS }, (line) => console.log(line));
  scratch = mkdtempSync(path.join(os.tmpdir(), "share-nothing-"));
  chmodSync(scratch, 0o755); // PostgreSQL runs as its own user when we are root: it must get in
  // A PostgreSQL of this file's own: the test stops it.
  pgDir = path.join(scratch, "pg");
  pg = await startEmbeddedDatabase({ dataDir: pgDir, persistent: true });
  pgPort = Number(new URL(pg.url).port);
  await migrateDatabase(pg.url);
  db = createDb(pg.url, { max: 4 });
  await db.db.insert(users).values(
    ["triager", "admin"].map((role) => ({
      issuer: "dev",
      subject: `${role}@example.com`,
      email: `${role}@example.com`,
      name: role,
      role: role as "triager" | "admin",
    })),
  );
  s3 = await startS3Server("share-nothing");
  service = await startLocalBenefitsIntake({
    port: 0,
    dataDir: path.join(scratch, "benefits-intake"),
    stepMs: 100,
    storePayloads: false,
    faults: { latencyMs: 20 },
  });

  // What every process is given: the same PostgreSQL, bucket and services, production mode on a
  // database marked as a demo database (so the development sign-in signs the test in).
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    ...PRODUCTION_SETTINGS,
    DATABASE_URL: pg.url,
    CLAIM_TRIAGE_DEMO_KEY: await markDemoDatabase(pg.url),
    AUTH_DEV_LOGIN: "true",
    BENEFITS_INTAKE_URL: service.url,
    BENEFITS_INTAKE_API_KEY: service.apiKey,
    VA_NOTIFY_URL: service.notifyUrl,
    VA_NOTIFY_API_KEY: service.notifyApiKey,
    STORAGE_URL: `s3://${s3.bucket}/share-nothing`,
    S3_ENDPOINT: s3.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    INGEST_TOKENS: INGEST_TOKEN,
    RETRY_TIME_FACTOR: "1000000",
    STATUS_POLL_SECONDS: "3600",
    WORKER_CONCURRENCY: "8",
    LOG_LEVEL: "warn",
  };
  web = await startWeb(env);
  for (const name of ["worker-a", "worker-b"]) {
    const folder = ownFolder(name);
    const worker = spawnWorkerEntry({
      healthPort: await freePort(),
      env: { ...env, ...folder.env },
    });
    workers.push(worker);
    await worker.ready();
  }
}, 900_000);

afterAll(async () => {
  for (const w of workers) await w.kill();
  if (web?.child.exitCode === null && web.child.signalCode === null) web.child.kill("SIGKILL");
  await service?.close();
  await s3?.stop();
  await db?.close();
  await pg?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe("the web app and two workers sharing only PostgreSQL and object storage", () => {
  for (let run = 1; run <= RUNS; run++) {
    it(`a batch of ${CLAIMS} claims: each uploaded exactly once, every stamped PDF downloads through the web app (run ${run})`, async () => {
      const groups = await createClaimGroups(
        db.db,
        Array.from({ length: CLAIMS }, () => testVeteran()),
      );
      const ids = groups.map((g) => g.mainClaimId);
      const [admin] = await db.sql<{ id: string; email: string }[]>`select id, email from users where role = 'admin'`;
      const { batchId, itemCount } = await createBatch(
        db.db,
        {
          name: `share nothing ${run}`,
          reason: "multi-process test",
          source: "selection",
          user: { id: Number(admin.id), email: admin.email },
          ratePerMinute: 100_000,
          start: true,
        },
        { claimIds: ids },
      );
      expect(itemCount).toBe(CLAIMS);

      const progress = async () =>
        (
          await db.sql<{ state: string; n: number }[]>`
            select state, count(*)::int as n from batch_items where batch_id = ${batchId} group by 1`
        )
          .map((r) => `${r.state} ${r.n}`)
          .join(", ");
      await waitFor(
        "the batch to complete",
        async () => {
          const [batch] = await db.sql<{ state: string }[]>`select state from batches where id = ${batchId}`;
          const [{ open }] = await db.sql<{ open: number }[]>`
            select count(*)::int as open from backup_submissions
            where claim_id in ${db.sql(ids)} and in_flight_since is not null`;
          return batch.state === "completed" && open === 0;
        },
        600_000,
      ).catch(async (e) => {
        console.log(await progress(), workers.map((w) => w.output().slice(-2000)).join("\n---\n"));
        throw e;
      });

      // Counted where they arrive: one accepted upload for each claim's veteran, none twice.
      const accepted = new Map<string, number>();
      for (const u of await adminApi(service).uploads()) {
        if (u.acceptedPutCount === 0) continue;
        const fileNumber = String(u.metadata?.fileNumber);
        accepted.set(fileNumber, (accepted.get(fileNumber) ?? 0) + u.acceptedPutCount);
      }
      const counts = groups.map((g) => accepted.get(g.veteran.fileNumber) ?? 0);
      expect(counts.filter((n) => n !== 1)).toEqual([]);
      const [{ uploads }] = await db.sql<{ uploads: number }[]>`
        select count(*)::int as uploads from backup_attempts
        where claim_id in ${db.sql(ids)} and status in ('submitted', 'success', 'vbms')`;
      expect(uploads).toBe(CLAIMS);

      // Every stamped PDF, written by one worker or the other to the bucket, served by the web app.
      const documents = await db.sql<{ id: string; sha256: string; byte_size: number }[]>`
        select d.id, d.sha256, d.byte_size from documents d join backup_attempts a on a.id = d.attempt_id
        where a.claim_id in ${db.sql(ids)}`;
      expect(documents.length).toBeGreaterThanOrEqual(CLAIMS);
      const cookie = await signInSession(web.url, "triager@example.com");
      const wrong: string[] = [];
      const queue = [...documents];
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          for (let doc = queue.shift(); doc; doc = queue.shift()) {
            const res = await fetch(`${web.url}/api/documents/${doc.id}`, { headers: { cookie } });
            const bytes = Buffer.from(await res.arrayBuffer());
            const sha256 = createHash("sha256").update(bytes).digest("hex");
            if (res.status !== 200 || sha256 !== doc.sha256 || bytes.subarray(0, 5).toString() !== "%PDF-")
              wrong.push(`document ${doc.id}: HTTP ${res.status}, ${bytes.length} bytes`);
          }
        }),
      );
      expect(wrong).toEqual([]);

      // Nothing was kept on any machine's own disk: each process's folder holds no file but tsx's
      // cache of the worker's transpiled code (in TMPDIR; a cache of the program, not of data).
      expect(folders.flatMap(filesUnder).filter((f) => !/\/tmp\/tsx-\d+\//.test(f))).toEqual([]);
    }, 900_000);
  }

  it("health and readiness with PostgreSQL stopped: ready 503 naming only the failing check, health 200; ready again once it is back", async () => {
    const probes = [
      { name: "web", health: `${web.url}/api/health`, ready: `${web.url}/api/ready` },
      ...workers.map((w, i) => ({
        name: `worker ${i + 1}`,
        health: `${w.healthUrl}/health`,
        ready: `${w.healthUrl}/ready`,
      })),
    ];
    const answer = async (url: string) => {
      const res = await fetch(url); // no session: load balancers have none
      return { status: res.status, body: await res.json() };
    };
    for (const p of probes) {
      expect(await answer(p.health), p.name).toEqual({ status: 200, body: { status: "up" } });
      expect((await answer(p.ready)).status, p.name).toBe(200);
    }

    await pg.stop();
    try {
      for (const p of probes) {
        expect(await answer(p.health), p.name).toEqual({ status: 200, body: { status: "up" } });
        const ready = await answer(p.ready);
        expect(ready.status, p.name).toBe(503);
        // Which check fails, and nothing else: no error text, host or version.
        expect(ready.body.status, p.name).toBe("not ready");
        expect(ready.body.checks.database, p.name).toBe("failing");
        expect(ready.body.checks.storage, p.name).toBe("ok");
        expect(Object.keys(ready.body).sort(), p.name).toEqual(["checks", "status"]);
        expect(JSON.stringify(ready.body), p.name).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres/i);
      }
    } finally {
      pg = await startEmbeddedDatabase({ dataDir: pgDir, persistent: true, port: pgPort });
    }
    for (const p of probes) {
      await waitFor(`${p.name} ready again`, async () => (await answer(p.ready)).status === 200, 60_000);
    }
  }, 180_000);

  it("SIGTERM: the web app finishes the request in flight and takes no new one; the workers exit 0", async () => {
    // An evidence file sent slowly to the ingest route: half of it, then the signal, then the rest.
    const pdf = handWrittenPdf({ text: "Evidence sent across a shutdown" });
    const sha256 = createHash("sha256").update(pdf).digest("hex");
    const { port } = new URL(web.url);
    const request = http.request({
      host: "127.0.0.1",
      port,
      method: "PUT",
      path: `/api/ingest/files/${sha256}`,
      headers: { authorization: `Bearer ${INGEST_TOKEN}`, "content-length": pdf.length },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.once("response", (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      request.once("error", reject);
    });
    request.write(pdf.subarray(0, pdf.length / 2));
    await sleep(1_000); // the handler is reading the body

    web.child.kill("SIGTERM");
    await sleep(1_000);
    // No new connections once it is stopping.
    const refused = await fetch(`${web.url}/api/health`).then(
      () => "answered",
      (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message,
    );
    expect(refused).toBe("ECONNREFUSED");
    expect(web.child.exitCode).toBeNull(); // still finishing the upload

    request.end(pdf.subarray(pdf.length / 2));
    const answered = await response;
    expect(answered.status, answered.body).toBe(201);
    // Next's own handler (`next start`, Next 16) exits 143 (128 + SIGTERM) once nothing is in flight.
    expect(await web.exited).toBe(143);
    // The file it took in is in the shared storage, whole.
    const storage = createS3DocumentStorage(s3.storageConfig("share-nothing/"));
    expect(
      createHash("sha256")
        .update(await storage.read(sha256))
        .digest("hex"),
    ).toBe(sha256);

    for (const w of workers) {
      w.child.kill("SIGTERM");
      expect(await w.exited).toBe(0);
    }
  }, 120_000);
});
