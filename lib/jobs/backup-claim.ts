import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { getPendingAttempt } from "@/db/queries/backups";
import { recordFailure } from "../backup/outcomes";
import { runBackup } from "../backup/run-backup";
import { log } from "../log";
import { inTransaction, later, senderFor } from "./boss";
import { defineJob } from "./job";

// One claim's backup (lib/backup/run-backup.ts), from a triager, a batch tick, an import or a retry.

const backupClaimPayloadSchema = z.object({
  claimId: z.number().int().positive(), // the main claim of the group
  trigger: z.enum(["user", "batch", "retry", "import"]),
  userId: z.number().int().positive().nullable(),
  batchId: z.number().int().positive().nullable(),
  retryNumber: z.number().int().min(0).max(25),
  force: z.boolean(),
});
export type BackupClaimPayload = z.infer<typeof backupClaimPayloadSchema>;

// Stately: at most one queued and one running job per claim (its singleton key), whatever the callers do.
export const backupClaimJob = defineJob({
  queue: {
    name: "backup-claim",
    policy: "stately",
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 900,
  },
  payloadSchema: backupClaimPayloadSchema,
  concurrency: (workerConcurrency) => workerConcurrency,
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
});

// The singleton key, and its SQL twin for lookups of a claim's job in the queue (the two must agree).
const SINGLETON_PREFIX = "claim-";
export const backupSingletonKey = (claimId: number) => `${SINGLETON_PREFIX}${claimId}`;
export const backupSingletonKeySql = (claimId: SQL) => sql`(${SINGLETON_PREFIX}::text || ${claimId})`;

// In the caller's transaction: the job exists if and only if the state change that asked for it commits.
export async function enqueueBackup(tx: DbOrTx, payload: BackupClaimPayload, startAfterSeconds = 0) {
  const boss = await senderFor(backupClaimJob.queue);
  return boss.send(backupClaimJob.queue.name, payload, {
    singletonKey: backupSingletonKey(payload.claimId),
    startAfter: later(startAfterSeconds),
    db: inTransaction(tx),
  });
}

// Many at once, in one statement (a batch tick); same singleton rule as enqueueBackup.
export async function enqueueBackups(tx: DbOrTx, payloads: BackupClaimPayload[]) {
  if (payloads.length === 0) return;
  const boss = await senderFor(backupClaimJob.queue);
  await boss.insert(
    payloads.map((data) => ({
      name: backupClaimJob.queue.name,
      data,
      singletonKey: backupSingletonKey(data.claimId),
    })),
    { db: inTransaction(tx) },
  );
}
