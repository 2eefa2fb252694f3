import { getEnv } from "../env";
import { log } from "../log";
import { checkStartUp } from "../start-up";
import { startWorker, workerConfigFromEnv } from "./worker";
import { workerHeapFlag } from "./worker-process";

// `npm run worker`: runs the jobs. Any number of these may run against one PostgreSQL.
async function main() {
  const env = getEnv();
  await checkStartUp(env);
  if (!process.execArgv.includes(workerHeapFlag(env))) {
    log.warn(
      { wanted: workerHeapFlag(env), execArgv: process.execArgv },
      "worker started without its heap limit (WORKER_MAX_HEAP_MB): start it with `npm run worker`",
    );
  }
  const worker = await startWorker(workerConfigFromEnv(env));
  let stopping = false;
  // An orchestrator's stop: no new jobs, running ones finish within WORKER_SHUTDOWN_GRACE_SECONDS
  // or go back to the queue, then exit 0 (a clean stop, not a crash to restart).
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceSeconds: env.WORKER_SHUTDOWN_GRACE_SECONDS }, "worker stopping: finishing jobs in flight");
    try {
      await worker.stop();
    } catch (e) {
      log.error({ err: e }, "worker did not stop cleanly");
      process.exit(1);
    }
    log.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e) => {
  console.error(`worker could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
