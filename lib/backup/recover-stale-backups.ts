import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getLatestAttempt } from "@/db/queries/backups";
import { backupSubmissions } from "@/db/schema";
import { backupClaimJob, backupSingletonKeySql, enqueueBackup } from "../jobs/backup-claim";
import { getBoss } from "../jobs/boss";
import type { WorkerDeps } from "../jobs/job";
import { liveStatelyJob } from "../jobs/sql/live-stately-job";
import { log } from "../log";

// Every claim in flight must have a live job. A job the queue lost is enqueued again; an "active"
// job whose claim lock is free belongs to a worker that died mid-job, so it is failed back to the
// queue, which retries it: the retry resumes the pending attempt, asking Benefits Intake what
// arrived before it uploads anything again. Runs with each status poll.

type RecoveryDeps = Pick<WorkerDeps, "db" | "orphanAfterSeconds" | "maxRetries" | "withClaimLock">;

export async function recoverStaleBackups(deps: RecoveryDeps) {
  for (const stale of await findStaleInFlight(deps.db, deps.orphanAfterSeconds)) {
    if (stale.activeJobId) {
      const free = await deps.withClaimLock(stale.claimId, async () => true);
      if (free !== true) continue; // a live worker holds it: merely slow
      const boss = await getBoss();
      await boss.fail(backupClaimJob.queue.name, stale.activeJobId, { error: "worker stopped mid-job" });
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

// Claims whose backup holds the in-flight slot for a while, with the queue's view of their job:
// none left (the queue gave up, or it was lost), or one "active" that may belong to a dead worker.
async function findStaleInFlight(db: Db, olderThanSeconds: number) {
  const job = liveStatelyJob(backupClaimJob.queue.name, backupSingletonKeySql(sql`s.claim_id`));
  const rows = await db.execute<{
    claim_id: string;
    batch_id: string | null;
    job_id: string | null;
    job_state: string | null;
  }>(sql`
    select s.claim_id, s.in_flight_batch_id as batch_id, j.id as job_id, j.state as job_state
    from ${backupSubmissions} s
    left join lateral ${job} j on true
    where s.in_flight_since is not null and s.in_flight_since < now() - make_interval(secs => ${olderThanSeconds})
      and (j.id is null or (j.state = 'active' and j.started_on < now() - make_interval(secs => ${olderThanSeconds})))
    limit 1000`);
  return Array.from(rows, (r) => ({
    claimId: Number(r.claim_id),
    batchId: r.batch_id === null ? null : Number(r.batch_id),
    activeJobId: r.job_state === "active" ? r.job_id : null,
  }));
}
