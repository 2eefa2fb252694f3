import { z } from "zod";
import { recordOutstandingToday } from "@/db/queries/overview";
import { pollStatuses } from "../backup/poll-statuses";
import { recoverStaleBackups } from "../backup/recover-stale-backups";
import { recoverStaleDispatchers } from "../batches/recover-stale-dispatchers";
import { defineJob } from "./job";

// The backup flow's sweep, every STATUS_POLL_SECONDS: where each upload stands at Benefits Intake
// (lib/backup/poll-statuses.ts), today's point of the burn-down, and the recovery of backups whose
// job was lost or whose worker died (lib/backup/recover-stale-backups.ts), and of batch dispatchers
// lost the same ways (lib/batches/recover-stale-dispatchers.ts).

export const pollUploadStatusesJob = defineJob({
  // Not "singleton": a poll held by a worker that died would block every poll (and with it the
  // recovery of that worker's claims) until it expired. Polls are safe to overlap; offers are
  // throttled to one per interval with singletonSeconds.
  queue: { name: "poll-upload-statuses", policy: "standard", retryLimit: 0, expireInSeconds: 300 },
  payloadSchema: z.object({}).passthrough(),
  concurrency: () => 1,
  periodic: { singletonKey: "poll", everySeconds: (config) => config.statusPollSeconds },
  // Each step runs whatever happened to the one before: a Benefits Intake that cannot answer its
  // report must not also stop the recovery of a dead worker's claims. The first failure fails the job.
  async handler(deps) {
    const steps = [
      () => pollStatuses(deps),
      () => recordOutstandingToday(deps.db),
      () => recoverStaleBackups(deps),
      () => recoverStaleDispatchers(deps),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await step().catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw failures[0];
  },
});
