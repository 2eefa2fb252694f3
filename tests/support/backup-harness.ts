import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createDb } from "@/db/client";
import { createBoss, QUEUE_SCHEMA, setBoss } from "@/lib/jobs/boss";
import { createQueues } from "@/lib/jobs/registry";
import { startWorker, type WorkerConfig } from "@/lib/jobs/worker";
import { createStorageFromConfig } from "@/lib/storage";
import { startLocalBenefitsIntake } from "@/local/benefits-intake";
import { adminApi } from "./local-benefits-intake";

// The backup flow as it runs for real, in one test process: the test database, the local Benefits
// Intake service over HTTP, and real workers (pg-boss) — one or several.

export function databaseUrl() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run integration tests with `npm test`");
  return url;
}

// `url`: a database of the test's own (one it restarts, say) instead of the shared test database.
export async function startBackupHarness(
  overrides: Partial<WorkerConfig> = {},
  serviceOptions: Parameters<typeof startLocalBenefitsIntake>[0] = {},
  url = databaseUrl(),
) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "backup-flow-"));
  const service = await startLocalBenefitsIntake({
    port: 0,
    dataDir: path.join(scratch, "bi"),
    stepMs: 100,
    ...serviceOptions,
  });
  const { db, sql, close } = createDb(url, { max: 10 });
  const config: WorkerConfig = {
    databaseUrl: url,
    benefitsIntake: { baseUrl: service.url, apiKey: service.apiKey, timeoutMs: 10_000 },
    vaNotify: { baseUrl: service.notifyUrl, apiKey: service.notifyApiKey, timeoutMs: 10_000 },
    templateIds: { backup_in_progress: "tmpl-in-progress", backup_failed: "tmpl-failed" },
    storage: { kind: "local", dir: path.join(scratch, "storage") },
    concurrency: 4,
    maxRetries: 16,
    retryTimeFactor: 1_000_000,
    statusPollSeconds: 3600,
    orphanAfterSeconds: 3600,
    locationTtlMs: 900_000,
    // A suite that asks for status polls (by their interval) gets them and the other periodic jobs;
    // the others drive polling themselves, and a poll at an hour's boundary would race their checks.
    offerPeriodicJobs: overrides.statusPollSeconds !== undefined,
    ...overrides,
  };
  const workers: Awaited<ReturnType<typeof startWorker>>[] = [];
  // One sender that outlives the workers, so enqueueing works while workers come and go.
  const sender = createBoss(url, { max: 4 });
  sender.on("error", () => {});
  await sender.start();
  await createQueues(sender);
  // The suites share the test database one after another, and with it the queue: jobs an earlier
  // suite left unfinished (status polls offered every 2 s, retries scheduled for later, e-mails)
  // would run in this suite's workers, against this suite's Benefits Intake. One such poll confirmed
  // backup-flow's fresh upload as vbms in the middle of a test that expects it still "submitted".
  // Finished jobs stay: they are history, and the periodic jobs' singleton slots live in them.
  await sql`delete from ${sql(`${QUEUE_SCHEMA}.job`)} where state in ('created', 'retry', 'active')`;
  setBoss(sender);
  return {
    db,
    sql,
    service,
    config,
    scratch,
    storageDir: path.join(scratch, "storage"),
    storage: createStorageFromConfig(config.storage),
    admin: adminApi(service),
    async startWorkers(n = 1) {
      for (let i = 0; i < n; i++) workers.push(await startWorker(config));
      setBoss(sender);
      return workers;
    },
    async stopWorkers() {
      for (const w of workers.splice(0)) await w.stop(5_000);
    },
    async stop() {
      for (const w of workers.splice(0)) await w.stop(5_000);
      await sender.stop({ graceful: false, wait: true }).catch(() => {});
      await service.close();
      await close();
    },
  };
}

export type BackupHarness = Awaited<ReturnType<typeof startBackupHarness>>;

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
