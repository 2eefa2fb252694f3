import { createDb } from "@/db/client";
import { createBenefitsIntakeClient } from "../benefits-intake/client";
import type { Env } from "../env";
import { log } from "../log";
import { createVaNotifyClient } from "../notify/va-notify-client";
import { createStorageFromConfig, type StorageConfig, storageConfigFromEnv } from "../storage";
import { createBoss, logQueueError, setBoss } from "./boss";
import type { WorkerDeps } from "./job";
import { startJobPump } from "./job-pump";
import { createQueues, JOBS } from "./registry";

// A worker: a pg-boss instance working every registered queue. The entry (`npm run worker`) runs
// one per process; tests and benchmarks start them in-process with their own settings.

export type WorkerConfig = {
  databaseUrl: string;
  benefitsIntake: { baseUrl: string; apiKey: string; timeoutMs: number };
  vaNotify: { baseUrl: string; apiKey: string; timeoutMs: number };
  templateIds: WorkerDeps["templateIds"];
  storage: StorageConfig; // the local folder, or object storage shared by every machine
  concurrency: number;
  dbPoolSize?: number; // WORKER_DB_POOL_SIZE; 8 when not given
  maxRetries: number;
  retryTimeFactor: number;
  statusPollSeconds: number;
  orphanAfterSeconds: number;
  locationTtlMs: number;
};

export function workerConfigFromEnv(env: Env): WorkerConfig {
  const missing = (
    ["DATABASE_URL", "BENEFITS_INTAKE_URL", "BENEFITS_INTAKE_API_KEY", "VA_NOTIFY_URL", "VA_NOTIFY_API_KEY"] as const
  ).filter((k) => !env[k]);
  if (missing.length)
    throw new Error(
      `The worker needs ${missing.join(", ")} (\`npm run dev\` starts local stand-ins for whichever is unset)`,
    );
  return {
    databaseUrl: env.DATABASE_URL!,
    benefitsIntake: {
      baseUrl: env.BENEFITS_INTAKE_URL!,
      apiKey: env.BENEFITS_INTAKE_API_KEY!,
      timeoutMs: env.BENEFITS_INTAKE_TIMEOUT_MS,
    },
    vaNotify: {
      baseUrl: env.VA_NOTIFY_URL!,
      apiKey: env.VA_NOTIFY_API_KEY!,
      timeoutMs: env.VA_NOTIFY_TIMEOUT_MS,
    },
    templateIds: {
      backup_in_progress: env.VA_NOTIFY_TEMPLATE_IN_PROGRESS,
      backup_failed: env.VA_NOTIFY_TEMPLATE_FAILED,
    },
    storage: storageConfigFromEnv(env),
    concurrency: env.WORKER_CONCURRENCY,
    dbPoolSize: env.WORKER_DB_POOL_SIZE,
    maxRetries: env.BACKUP_MAX_RETRIES,
    retryTimeFactor: env.RETRY_TIME_FACTOR,
    statusPollSeconds: env.STATUS_POLL_SECONDS,
    orphanAfterSeconds: 120,
    locationTtlMs: 900_000,
  };
}

export async function startWorker(config: WorkerConfig) {
  // Few connections for many jobs: a job spends most of its time waiting on HTTP, and its
  // statements take a millisecond or two. More connections than PostgreSQL has cores to run them
  // made it slower, not faster (32 jobs on 68 connections: 46 claims/s; on 4–12: 60–64 on two
  // cores), and every connection prepares every statement again.
  const { db, close } = createDb(config.databaseUrl, { max: config.dbPoolSize ?? 8, prepareStatements: true });
  // Claim locks get their own connections, one per running job, so taking one never waits on
  // the pool: a job that is running holds its lock within moments of starting.
  const locks = createDb(config.databaseUrl, { max: config.concurrency + 2, prepareStatements: true });
  // The queue's connections: each queue's pump fetches and completes on one at a time.
  const boss = createBoss(config.databaseUrl, { max: 6 });
  boss.on("error", logQueueError);
  await boss.start();
  setBoss(boss);
  await createQueues(boss);

  const deps: WorkerDeps = {
    db,
    benefitsIntake: createBenefitsIntakeClient(config.benefitsIntake),
    vaNotify: createVaNotifyClient(config.vaNotify),
    templateIds: config.templateIds,
    storage: createStorageFromConfig(config.storage),
    maxRetries: config.maxRetries,
    retryTimeFactor: config.retryTimeFactor,
    locationTtlMs: config.locationTtlMs,
    orphanAfterSeconds: config.orphanAfterSeconds,
    // Held on a connection of its own, so a dead process releases it with its connection. A
    // transaction-level lock, held by an open transaction while the job runs and released when it
    // ends: not a session lock on a `sql.reserve()`d connection, because postgres.js hands a
    // reserved connection whose server went away (a PostgreSQL restart) back to the pool as open,
    // where every later lock failed with CONNECTION_CLOSED and the worker never recovered.
    async withClaimLock(claimId, fn) {
      let result: Awaited<ReturnType<typeof fn>> | "locked" = "locked";
      await locks.sql.begin(async (tx) => {
        const [{ locked }] = await tx`select pg_try_advisory_xact_lock(727002, ${claimId}::int) as locked`;
        if (locked) result = await fn();
      });
      return result;
    },
  };

  const pumps = JOBS.map((def) =>
    startJobPump(boss, def.queue.name, {
      concurrency: def.concurrency(config.concurrency),
      idlePollMs: 500,
      async handle(job) {
        const parsed = def.payloadSchema.safeParse(job.data);
        if (!parsed.success) {
          // A payload that does not parse is a bug or a forgery: retrying cannot help, so it is
          // cancelled (kept, and visible in the queue) rather than failed into a retry.
          log.error({ job: job.name, id: job.id }, "job payload rejected");
          await boss.cancel(job.name, job.id);
          return;
        }
        await def.handler(deps, parsed.data as never, job as never);
      },
    }),
  );

  // Every worker offers each periodic job; its singleton slot lets one per interval through, whoever
  // is alive. Offered at least once a minute, so a worker that starts late is not long without one.
  const timers = JOBS.flatMap(({ queue, periodic }) => {
    if (!periodic) return [];
    const seconds = periodic.everySeconds(config);
    const offer = () =>
      void boss
        .send(queue.name, {}, { singletonKey: periodic.singletonKey, singletonSeconds: seconds })
        .catch(() => {});
    offer();
    return [setInterval(offer, Math.min(seconds, 60) * 1000)];
  });
  log.info({ concurrency: config.concurrency }, "worker started");

  return {
    boss,
    deps,
    // Graceful: running jobs finish, or are released to another worker when the timeout passes.
    async stop(timeoutMs = 30_000) {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(pumps.map((p) => p.stop(timeoutMs)));
      await boss.stop({ graceful: true, timeout: 1000, wait: true });
      await close();
      await locks.close();
    },
  };
}
