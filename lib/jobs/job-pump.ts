import type PgBoss from "pg-boss";
import { log } from "../log";

// Keeps up to `concurrency` jobs of one queue running, each on its own: a job that finishes frees
// its slot, and freed slots are filled by the next fetch. (pg-boss's own `work` runs a fetched
// batch to its slowest job and then waits out its polling interval, which capped a worker at a few
// dozen claims a second however fast each claim was.) Fetches and completions are gathered into
// a statement for several jobs: each is a round trip to PostgreSQL, and they added up.

type Job = PgBoss.JobWithMetadata<unknown>;

export type JobPump = {
  /** Stops fetching; running jobs get until `timeoutMs` to finish. Returns the ids of those still
   * running then, which the pump lets go of (neither completed nor failed by it). */
  stop(timeoutMs: number): Promise<string[]>;
  running(): number;
  /** When the fetch loop last turned (a fetch answered, or every slot was busy): a loop that
   * stopped turning, or a queue it cannot reach, shows as a time long past. */
  lastPolledAt(): number;
};

const GATHER_MS = 25;

export function startJobPump(
  boss: PgBoss,
  queue: string,
  options: { concurrency: number; idlePollMs: number; handle: (job: Job) => Promise<void> },
): JobPump {
  let running = 0;
  let stopping = false;
  let lastPolledAt = Date.now();
  // The jobs being handled, and those let go of at shutdown: what happens to the latter is the
  // worker's to decide (it hands them back), not this pump's.
  const active = new Set<string>();
  const released = new Set<string>();
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  // Finished jobs are marked complete a few at a time. While PostgreSQL cannot be reached (a
  // restart, a failover) the marks wait and go out once it is back: a job left active is stuck
  // for its whole expiry (a batch's dispatcher, with it the batch). A crash loses the marks; those
  // jobs expire and run again, and a second run of a finished claim does nothing.
  let completed: string[] = [];
  let flushing: Promise<void> = Promise.resolve();
  let unreachableUntil = 0;
  const flush = () => {
    if (completed.length === 0 || Date.now() < unreachableUntil) return flushing;
    const ids = completed;
    completed = [];
    flushing = flushing.then(() =>
      boss.complete(queue, ids).then(
        () => undefined,
        (e: unknown) => {
          completed = ids.concat(completed);
          unreachableUntil = Date.now() + 1_000;
          log.warn({ job: queue, count: ids.length, err: e }, "marking jobs complete failed; trying again in a second");
        },
      ),
    );
    return flushing;
  };
  const flushTimer = setInterval(() => void flush(), GATHER_MS);

  // Handing a failed job back to the queue, again until it is through (or the job would have
  // expired anyway): the failure may be PostgreSQL itself going away.
  async function handBack(job: Job, message: string) {
    const giveUpAt = Date.now() + Math.max(10, job.expireInSeconds ?? 60) * 1_000;
    for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        return await boss.fail(queue, job.id, { error: message });
      } catch (e) {
        if (stopping || Date.now() + wait > giveUpAt) {
          log.error(
            { job: queue, id: job.id, err: e },
            "could not hand a failed job back; it runs again when it expires",
          );
          return;
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async function run(job: Job) {
    active.add(job.id);
    try {
      await options.handle(job);
      if (!released.has(job.id)) completed.push(job.id);
    } catch (e) {
      if (released.has(job.id)) return;
      // The handler decides what a failure means; anything that escapes is handed back to the
      // queue, which retries it.
      const message =
        e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message).slice(0, 500) : String(e);
      log.error({ job: queue, id: job.id, retryCount: job.retryCount, err: e }, "job failed; the queue will retry it");
      await handBack(job, message);
    } finally {
      active.delete(job.id);
      running--;
      wake?.();
    }
  }

  const loop = (async () => {
    while (!stopping) {
      const free = options.concurrency - running;
      // With the queue busy, wait until a few slots are free (or a moment has passed) rather than
      // fetching for every job that ends.
      if (free === 0) {
        lastPolledAt = Date.now();
        await sleep(options.idlePollMs); // woken as soon as a job ends
        continue;
      }
      if (free < Math.max(1, Math.floor(options.concurrency / 4))) await new Promise((r) => setTimeout(r, GATHER_MS));
      const slots = options.concurrency - running;
      let jobs: Job[] = [];
      try {
        jobs = await boss.fetch(queue, { batchSize: slots, includeMetadata: true });
        lastPolledAt = Date.now();
      } catch (e) {
        log.error({ job: queue, err: e }, "fetching jobs failed; trying again");
      }
      for (const job of jobs) {
        running++;
        void run(job);
      }
      // A short fetch means the queue is (nearly) empty: wait before asking again.
      if (jobs.length < slots) await sleep(options.idlePollMs);
    }
  })();

  return {
    running: () => running,
    lastPolledAt: () => lastPolledAt,
    async stop(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      stopping = true;
      wake?.();
      await loop;
      // Running jobs finish; those still running at the deadline are let go of.
      while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const unfinished = [...active];
      for (const id of unfinished) released.add(id);
      clearInterval(flushTimer);
      unreachableUntil = 0;
      await flush();
      return unfinished;
    },
  };
}
