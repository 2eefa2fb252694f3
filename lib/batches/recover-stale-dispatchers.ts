import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches } from "@/db/schema";
import { getBoss } from "../jobs/boss";
import { dispatchBatchJob, dispatchSingletonKeySql, enqueueBatchDispatch } from "../jobs/dispatch-batch";
import { liveStatelyJob } from "../jobs/sql/live-stately-job";
import { log } from "../log";

// A started batch's dispatcher (lib/jobs/dispatch-batch.ts) "active" for a while whose batch no tick
// holds was lost by its worker: the worker died, or PostgreSQL restarted as the job was fetched and
// the answer never reached the worker, which then never ran it. Left alone it would stop its batch
// until it expires, minutes later, and while it is active the stately queue refuses to start the
// batch's next tick. It is failed back to the queue, which runs it again; a tick run twice only
// starts what is due. Runs with each status poll, beside the same care for backups
// (lib/backup/recover-stale-backups.ts). (A started batch with no dispatcher at all cannot happen:
// each is enqueued in the transaction that starts the batch or ticks it.)

export async function recoverStaleDispatchers(deps: { db: Db; orphanAfterSeconds: number }) {
  for (const stale of await findStaleDispatchers(deps.db, deps.orphanAfterSeconds)) {
    await deps.db.transaction(async (tx) => {
      // A tick holds its batch's row for its whole transaction: a row we can take has none running,
      // and none starts until we are done.
      const free = await tx.execute(
        sql`select id from ${batches} where id = ${stale.batchId} and state in ('queued', 'running') for update skip locked`,
      );
      if (free.length === 0) return;
      const boss = await getBoss();
      await boss.fail(dispatchBatchJob.queue.name, stale.jobId, { error: "no worker was running it" });
      log.warn({ batchId: stale.batchId }, "batch dispatcher lost by its worker handed back to the queue");
      // The queue drops a failed job instead of retrying it when the batch already has one waiting,
      // or when its retries are spent: the batch is given one either way (never a second waiting).
      await enqueueBatchDispatch(tx, stale.batchId);
    });
  }
}

// Started batches whose dispatcher has been "active" for longer than a tick could take.
async function findStaleDispatchers(db: Db, olderThanSeconds: number) {
  const job = liveStatelyJob(dispatchBatchJob.queue.name, dispatchSingletonKeySql(sql`b.id`));
  const rows = await db.execute<{ batch_id: string; job_id: string }>(sql`
    select b.id as batch_id, j.id as job_id
    from ${batches} b
    join lateral ${job} j on true
    where b.state in ('queued', 'running')
      and j.state = 'active' and j.started_on < now() - make_interval(secs => ${olderThanSeconds})`);
  return Array.from(rows, (r) => ({ batchId: Number(r.batch_id), jobId: r.job_id }));
}
