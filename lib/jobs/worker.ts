import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { createBenefitsIntakeClient } from "../benefits-intake/client";
import type { Env } from "../env";
import { checkReadiness } from "../health";
import { log } from "../log";
import { createVaNotifyClient } from "../notify/va-notify-client";
import { createStorageFromConfig, type StorageConfig, storageConfigFromEnv } from "../storage";
import { createBoss, logQueueError, setBoss } from "./boss";
import type { WorkerDeps } from "./job";
import { startJobPump } from "./job-pump";
import { createQueues, JOBS } from "./registry";
import { startWorkerHealthServer } from "./worker-health";

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
  shutdownGraceSeconds?: number; // WORKER_SHUTDOWN_GRACE_SECONDS; 30 when not given
  healthPort?: number; // WORKER_HEALTH_PORT: /health and /ready on this port; none when not given
  // Tests that drive each step themselves turn the periodic jobs off: a status poll offered at a
  // slot boundary mid-test would move an upload on (submitted → vbms) under the test's feet.
  offerPeriodicJobs?: boolean; // true when not given
};

// A pump that has not fetched (or found every slot busy) for this long is not polling its queue.
const POLLING_STALE_MS = 30_000;

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
    shutdownGraceSeconds: env.WORKER_SHUTDOWN_GRACE_SECONDS,
    healthPort: env.WORKER_HEALTH_PORT,
  };
}

export async function startWorker(config: WorkerConfig) {
  // Few connections for many jobs: a job spends most of its time waiting on HTTP, and its
  // statements take a millisecond or two. More connections than PostgreSQL has cores to run them
  // made it slower, not faster (32 jobs on 68 connections: 46 claims/s; on 4–12: 60–64 on two
  // cores), and every connection prepares every statement again.
  const database = createDb(config.databaseUrl, { max: config.dbPoolSize ?? 8, prepareStatements: true });
  const { db } = database;
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
    if (!periodic || config.offerPeriodicJobs === false) return [];
    const seconds = periodic.everySeconds(config);
    const offer = () =>
      void boss
        .send(queue.name, {}, { singletonKey: periodic.singletonKey, singletonSeconds: seconds })
        .catch(() => {});
    offer();
    return [setInterval(offer, Math.min(seconds, 60) * 1000)];
  });

  let stopping = false;
  // Ready while it can take work: PostgreSQL and the storage answer, and every queue is being polled.
  const readiness = () =>
    checkReadiness({
      database: async () => {
        await db.execute(sql`select 1`);
      },
      storage: () => deps.storage.check(),
      queue: async () => {
        if (stopping) throw new Error("stopping");
        if (pumps.some((p) => Date.now() - p.lastPolledAt() > POLLING_STALE_MS)) throw new Error("not polling");
      },
    });
  const health = config.healthPort === undefined ? null : await startWorkerHealthServer(config.healthPort, readiness);
  log.info({ concurrency: config.concurrency, healthPort: health?.port }, "worker started");

  return {
    boss,
    deps,
    readiness,
    healthPort: health?.port,
    // Graceful (SIGTERM): no new jobs; running ones get the grace period to finish, and those still
    // running then are handed back to the queue at once, for another worker, rather than held
    // until they expire. Their claim locks go first (with the lock connections), so the worker that
    // takes one over is not turned away; a takeover of an upload that may have started asks
    // Benefits Intake what arrived before it sends anything (lib/backup/run-backup.ts).
    async stop(graceMs = (config.shutdownGraceSeconds ?? 30) * 1000) {
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      const unfinished = await Promise.all(pumps.map((p) => p.stop(graceMs)));
      if (unfinished.some((ids) => ids.length > 0)) {
        // What those jobs still do here stops now: a takeover must not race this process's writes.
        await Promise.all([locks.sql.end({ timeout: 0 }), database.sql.end({ timeout: 0 })]);
        await Promise.all(
          JOBS.map(async (def, i) => {
            if (unfinished[i].length === 0) return;
            for (const id of unfinished[i]) {
              await boss
                .fail(def.queue.name, id, { error: "the worker shut down before the job finished" })
                .catch(logQueueError); // not handed back: it runs again when it expires
            }
            log.warn({ job: def.queue.name, count: unfinished[i].length }, "jobs handed back at shutdown");
          }),
        );
      }
      await boss.stop({ graceful: true, timeout: 1000, wait: true });
      await database.close();
      await locks.close();
      await health?.close();
    },
  };
}
