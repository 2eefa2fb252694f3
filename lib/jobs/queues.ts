import type PgBoss from "pg-boss";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { getEnv } from "../env";
import { createBoss, inTransaction } from "./boss";

// The job names, their payloads and queue settings. Senders (web and worker) import only this;
// the handlers live in the registry, which only the worker loads.

export const backupClaimPayload = z.object({
  claimId: z.number().int().positive(), // the main claim of the group
  trigger: z.enum(["user", "batch", "retry", "import"]),
  userId: z.number().int().positive().nullable(),
  batchId: z.number().int().positive().nullable(),
  retryNumber: z.number().int().min(0).max(25),
  force: z.boolean(),
});
export type BackupClaimPayload = z.infer<typeof backupClaimPayload>;

export const sendNotificationPayload = z.object({ notificationId: z.number().int().positive() });
export const dispatchBatchPayload = z.object({ batchId: z.number().int().positive() });
export const pollStatusesPayload = z.object({}).passthrough();

export const QUEUES = {
  // stately: at most one queued and one running job per claim, whatever the callers do.
  backupClaim: {
    name: "backup-claim",
    policy: "stately",
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 900,
  },
  sendNotification: {
    name: "send-notification",
    policy: "standard",
    retryLimit: 10,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 120,
  },
  dispatchBatch: { name: "dispatch-batch", policy: "stately", retryLimit: 100, retryDelay: 5, expireInSeconds: 300 },
  // Not "singleton": a poll held by a worker that died would block every poll (and with it the
  // recovery of that worker's claims) until it expired. Polls are safe to overlap; sends are
  // throttled to one per interval with singletonSeconds.
  pollStatuses: { name: "poll-upload-statuses", policy: "standard", retryLimit: 0, expireInSeconds: 300 },
} as const satisfies Record<string, PgBoss.Queue>;

const globalForBoss = globalThis as unknown as { claimTriageBoss?: Promise<PgBoss> };

// One sender per process, started lazily; the worker starts its own with supervision on.
export function getBoss(): Promise<PgBoss> {
  globalForBoss.claimTriageBoss ??= (async () => {
    const env = getEnv();
    const boss = createBoss(env.DATABASE_URL!, { max: 2 });
    boss.on("error", () => {});
    await boss.start();
    for (const q of Object.values(QUEUES)) await boss.createQueue(q.name, q);
    return boss;
  })();
  return globalForBoss.claimTriageBoss;
}

export function setBoss(boss: PgBoss) {
  globalForBoss.claimTriageBoss = Promise.resolve(boss);
}

// A time, not a number of seconds: pg-boss binds a number where PostgreSQL expects a timestamp,
// which node-postgres tolerates and postgres.js (our transactions) does not.
function later(seconds: number) {
  return seconds > 0 ? new Date(Date.now() + seconds * 1000) : undefined;
}

export async function enqueueBackup(tx: DbOrTx, payload: BackupClaimPayload, startAfterSeconds = 0) {
  const boss = await getBoss();
  return boss.send(QUEUES.backupClaim.name, payload, {
    singletonKey: `claim-${payload.claimId}`,
    startAfter: later(startAfterSeconds),
    db: inTransaction(tx),
  });
}

// Many at once, in one statement (a batch tick); same singleton rule as enqueueBackup.
export async function enqueueBackups(tx: DbOrTx, payloads: BackupClaimPayload[]) {
  if (payloads.length === 0) return;
  const boss = await getBoss();
  await boss.insert(
    payloads.map((data) => ({ name: QUEUES.backupClaim.name, data, singletonKey: `claim-${data.claimId}` })),
    { db: inTransaction(tx) },
  );
}

export async function enqueueNotification(tx: DbOrTx, notificationId: number) {
  const boss = await getBoss();
  return boss.send(QUEUES.sendNotification.name, { notificationId }, { db: inTransaction(tx) });
}

export async function enqueueBatchDispatch(tx: DbOrTx, batchId: number, startAfterSeconds = 0) {
  const boss = await getBoss();
  return boss.send(
    QUEUES.dispatchBatch.name,
    { batchId },
    {
      singletonKey: `batch-${batchId}`,
      startAfter: later(startAfterSeconds),
      db: inTransaction(tx),
    },
  );
}
