import type PgBoss from "pg-boss";
import type { z } from "zod";
import type { Db } from "@/db/client";
import type { BackupDeps } from "../backup/run-backup";
import type { NotifyDeps } from "../notify/send-notification";

// The shape of a job module (lib/jobs/<job>.ts): its queue (name and options), the schema its
// payload must pass before any work starts, how many a worker runs at once, and its handler. Each
// module also exports the `enqueue…` function its callers use, so nothing outside it spells its
// queue name or singleton key.

export type WorkerDeps = BackupDeps &
  NotifyDeps & {
    db: Db;
    orphanAfterSeconds: number;
    withClaimLock: <T>(claimId: number, fn: () => Promise<T>) => Promise<T | "locked">;
  };

type QueuedJob = PgBoss.JobWithMetadata<unknown>;

type JobDefinition<N extends string, S extends z.ZodType> = {
  queue: PgBoss.Queue & { name: N };
  payloadSchema: S;
  // From the worker's WORKER_CONCURRENCY.
  concurrency: (workerConcurrency: number) => number;
  // A job no caller sends: every worker offers one each interval, and the queue lets one through
  // per interval (singletonSeconds), whoever is alive.
  periodic?: { singletonKey: string; everySeconds: (config: { statusPollSeconds: number }) => number };
  handler: (deps: WorkerDeps, data: z.infer<S>, job: QueuedJob) => Promise<void>;
};

export const defineJob = <const N extends string, S extends z.ZodType>(definition: JobDefinition<N, S>) => definition;
