import type PgBoss from "pg-boss";
import { backupClaimJob } from "./backup-claim";
import { dispatchBatchJob } from "./dispatch-batch";
import { evaluateAlertsJob } from "./evaluate-alerts";
import { pollUploadStatusesJob } from "./poll-upload-statuses";
import { reevaluateIngestJob } from "./reevaluate-ingest";
import { refreshOverviewJob } from "./refresh-overview";
import { reopenFailureGroupsJob } from "./reopen-failure-groups";
import { sendNotificationJob } from "./send-notification";

// Every job a worker runs: one module each (queue name and options, payload schema, concurrency,
// handler, and its enqueue function). Only the worker, and tests and benchmarks that stand in for
// it, load this list; senders import the one job module they send.

export const JOBS = [
  backupClaimJob,
  sendNotificationJob,
  dispatchBatchJob,
  pollUploadStatusesJob,
  refreshOverviewJob,
  reopenFailureGroupsJob,
  evaluateAlertsJob,
  reevaluateIngestJob,
];

export async function createQueues(boss: PgBoss) {
  for (const job of JOBS) await boss.createQueue(job.queue.name, job.queue);
}
