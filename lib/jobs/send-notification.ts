import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { sendNotification } from "../notify/send-notification";
import { inTransaction, senderFor } from "./boss";
import { defineJob } from "./job";

// One e-mail of the outbox (lib/notify/outbox.ts) sent through VA Notify. Transient failures retry
// with backoff for about an hour; the last try records the e-mail as failed, never drops it.

const sendNotificationPayloadSchema = z.object({ notificationId: z.number().int().positive() });

export const sendNotificationJob = defineJob({
  queue: {
    name: "send-notification",
    policy: "standard",
    retryLimit: 10,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 120,
  },
  payloadSchema: sendNotificationPayloadSchema,
  // E-mails keep pace with uploads: as many senders as backup jobs.
  concurrency: (workerConcurrency) => workerConcurrency,
  handler: (deps, data, job) => sendNotification(deps, data.notificationId, job.retryCount >= (job.retryLimit ?? 0)),
});

// In the transaction that wrote the outbox row, so the row and its job commit together.
export async function enqueueNotification(tx: DbOrTx, notificationId: number) {
  const boss = await senderFor(sendNotificationJob.queue);
  return boss.send(sendNotificationJob.queue.name, { notificationId }, { db: inTransaction(tx) });
}
