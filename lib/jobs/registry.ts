import type PgBoss from "pg-boss";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { getLatestAttempt, getPendingAttempt } from "@/db/queries/backups";
import { OVERVIEW_REFRESH_SECONDS, refreshOverviewViews } from "@/db/queries/overview";
import { recordFailure } from "../backup/outcomes";
import { findStaleInFlight, pollStatuses } from "../backup/poll-statuses";
import type { BackupDeps } from "../backup/run-backup";
import { runBackup } from "../backup/run-backup";
import { log } from "../log";
import { type NotifyDeps, sendNotification } from "../notify/send-notification";
import { dispatchBatch } from "./dispatch-batch";
import {
  backupClaimPayload,
  dispatchBatchPayload,
  enqueueBackup,
  getBoss,
  pollStatusesPayload,
  QUEUES,
  sendNotificationPayload,
} from "./queues";

// Job name -> payload schema -> handler. Payloads are validated before any work starts; a payload
// that does not parse is a bug or a forgery, so it fails at once instead of retrying.

export type WorkerDeps = BackupDeps &
  NotifyDeps & {
    db: Db;
    orphanAfterSeconds: number;
    withClaimLock: <T>(claimId: number, fn: () => Promise<T>) => Promise<T | "locked">;
  };

type Job = PgBoss.JobWithMetadata<unknown>;
type Definition<S extends z.ZodType> = {
  queue: PgBoss.Queue;
  schema: S;
  concurrency: (deps: WorkerDeps & { concurrency: number }) => number;
  handler: (deps: WorkerDeps, data: z.infer<S>, job: Job) => Promise<void>;
};

const define = <S extends z.ZodType>(d: Definition<S>) => d;

export const JOB_REGISTRY = [
  define({
    queue: QUEUES.backupClaim,
    schema: backupClaimPayload,
    concurrency: (d) => d.concurrency,
    async handler(deps, data, job) {
      // The advisory lock is held on a connection of its own: if this process dies, PostgreSQL
      // releases it, and a second run of the same claim (a duplicate delivery) backs off.
      const result = await deps.withClaimLock(data.claimId, async () => {
        try {
          return await runBackup(deps, data);
        } catch (e) {
          // An unexpected error: the queue retries the job; on its last try the attempt ends as a
          // recorded, notified failure rather than staying pending for ever.
          if (job.retryCount >= (job.retryLimit ?? 0)) {
            const pending = await getPendingAttempt(deps.db, data.claimId);
            if (pending) {
              await recordFailure(
                {
                  db: deps.db,
                  payload: { ...data, retryNumber: deps.maxRetries },
                  attemptId: pending.id,
                  maxRetries: deps.maxRetries,
                  retryTimeFactor: deps.retryTimeFactor,
                },
                {
                  kind: "permanent",
                  errorClass: "InternalError",
                  message: `the backup job kept failing: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500),
                },
              );
              return "failed";
            }
          }
          throw e;
        }
      });
      if (result === "locked")
        log.info({ claimId: data.claimId }, "another worker holds this claim; duplicate delivery skipped");
    },
  }),
  define({
    queue: QUEUES.sendNotification,
    schema: sendNotificationPayload,
    // E-mails keep pace with uploads: as many senders as backup jobs.
    concurrency: (d) => d.concurrency,
    handler: (deps, data, job) => sendNotification(deps, data.notificationId, job.retryCount >= (job.retryLimit ?? 0)),
  }),
  define({
    queue: QUEUES.dispatchBatch,
    schema: dispatchBatchPayload,
    concurrency: () => 1,
    handler: async (deps, data) => void (await dispatchBatch(deps.db, data.batchId)),
  }),
  define({
    queue: QUEUES.pollStatuses,
    schema: pollStatusesPayload,
    concurrency: () => 1,
    async handler(deps) {
      await pollStatuses(deps);
      await recoverStaleBackups(deps);
      await refreshOverviewViews(deps.db, OVERVIEW_REFRESH_SECONDS);
    },
  }),
];

// Every claim in flight must have a live job. A job the queue lost is enqueued again; an "active"
// job whose claim lock is free belongs to a worker that died mid-job, so it is failed back to the
// queue, which retries it: the retry resumes the pending attempt, asking Benefits Intake what
// arrived before it uploads anything again.
async function recoverStaleBackups(deps: WorkerDeps) {
  for (const stale of await findStaleInFlight(deps.db, deps.orphanAfterSeconds)) {
    if (stale.activeJobId) {
      const free = await deps.withClaimLock(stale.claimId, async () => true);
      if (free !== true) continue; // a live worker holds it: merely slow
      const boss = await getBoss();
      await boss.fail(QUEUES.backupClaim.name, stale.activeJobId, { error: "worker stopped mid-job" });
      log.warn({ claimId: stale.claimId }, "backup job of a dead worker handed back to the queue");
      continue;
    }
    // Carry on the run's retry count: a lost retry must not reset the budget.
    const latest = await getLatestAttempt(deps.db, stale.claimId);
    const retryNumber = !latest
      ? 0
      : latest.status === "pending"
        ? latest.retryNumber
        : Math.min(latest.retryNumber + 1, deps.maxRetries);
    log.warn({ claimId: stale.claimId }, "in-flight backup had no job; re-enqueued");
    await enqueueBackup(deps.db, {
      claimId: stale.claimId,
      trigger: "retry",
      userId: null,
      batchId: stale.batchId,
      retryNumber,
      force: latest?.forced ?? false,
    });
  }
}
