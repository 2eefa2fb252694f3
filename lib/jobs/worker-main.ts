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
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker stopping: finishing jobs in flight");
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((e) => {
  console.error(`worker could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
