import { setTimeout as sleep } from "node:timers/promises";
import { createDb } from "@/db/client";
import { createBenefitsIntakeClient } from "../benefits-intake/client";
import { getEnv } from "../env";
import { log } from "../log";
import { createVaNotifyClient } from "../notify/va-notify-client";
import { createDocumentStorage } from "../pdf/storage";
import { createBoss } from "./boss";
import { QUEUES, setBoss } from "./queues";
import { JOB_REGISTRY, type WorkerDeps } from "./registry";

// `npm run worker`: runs the jobs. Any number of these may run against one PostgreSQL.

async function main() {
  const env = getEnv();
  const { db, sql, close } = createDb(env.DATABASE_URL!, { max: env.WORKER_CONCURRENCY * 2 + 4 });
  const boss = createBoss(env.DATABASE_URL!, { max: env.WORKER_CONCURRENCY + 4 });
  boss.on("error", (e) => log.error({ err: e.message }, "queue error"));
  await boss.start();
  setBoss(boss);
  for (const def of JOB_REGISTRY) await boss.createQueue(def.queue.name, def.queue);

  const deps: WorkerDeps = {
    db,
    benefitsIntake: createBenefitsIntakeClient({ baseUrl: env.BENEFITS_INTAKE_URL!, apiKey: env.BENEFITS_INTAKE_API_KEY!, timeoutMs: env.BENEFITS_INTAKE_TIMEOUT_MS }),
    vaNotify: createVaNotifyClient({ baseUrl: env.VA_NOTIFY_URL!, apiKey: env.VA_NOTIFY_API_KEY!, timeoutMs: env.BENEFITS_INTAKE_TIMEOUT_MS }),
    templateIds: { backup_in_progress: env.VA_NOTIFY_TEMPLATE_IN_PROGRESS, backup_failed: env.VA_NOTIFY_TEMPLATE_FAILED },
    storage: createDocumentStorage(env.STORAGE_DIR),
    storageDir: env.STORAGE_DIR,
    maxRetries: env.BACKUP_MAX_RETRIES,
    retryTimeFactor: env.RETRY_TIME_FACTOR,
    locationTtlMs: 900_000,
    orphanAfterSeconds: 120,
    async withClaimLock(claimId, fn) {
      const conn = await sql.reserve();
      try {
        const [{ locked }] = await conn`select pg_try_advisory_lock(727002, ${claimId}::int) as locked`;
        if (!locked) return "locked";
        try {
          return await fn();
        } finally {
          await conn`select pg_advisory_unlock(727002, ${claimId}::int)`;
        }
      } finally {
        conn.release();
      }
    },
  };

  for (const def of JOB_REGISTRY) {
    const n = def.concurrency({ ...deps, concurrency: env.WORKER_CONCURRENCY });
    for (let i = 0; i < n; i++) {
      await boss.work(def.queue.name, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        const parsed = def.schema.safeParse(job.data);
        if (!parsed.success) {
          log.error({ job: job.name, id: job.id }, "job payload rejected");
          await boss.fail(job.name, job.id, { error: "invalid payload" });
          return;
        }
        await def.handler(deps, parsed.data as never, job as never);
      });
    }
  }
  // Every worker offers the poll; the singleton slot lets one per interval through, whoever is alive.
  const offerPoll = () =>
    void boss.send(QUEUES.pollStatuses.name, {}, { singletonKey: "poll", singletonSeconds: env.STATUS_POLL_SECONDS }).catch(() => {});
  offerPoll();
  const pollTimer = setInterval(offerPoll, Math.min(env.STATUS_POLL_SECONDS, 60) * 1000);
  log.info({ concurrency: env.WORKER_CONCURRENCY }, "worker started");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(pollTimer);
    log.info({ signal }, "worker stopping: finishing jobs in flight");
    // Graceful: running jobs finish (or are released to another worker when the timeout passes).
    await boss.stop({ graceful: true, timeout: 30_000 });
    await sleep(200);
    await close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e) => {
  console.error(`worker could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
