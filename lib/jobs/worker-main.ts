import { getEnv } from "../env";
import { log } from "../log";
import { startWorker, workerConfigFromEnv } from "./worker";

// `npm run worker`: runs the jobs. Any number of these may run against one PostgreSQL.
async function main() {
  const worker = await startWorker(workerConfigFromEnv(getEnv()));
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
