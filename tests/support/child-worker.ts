import { startWorker, type WorkerConfig } from "@/lib/jobs/worker";

// A worker in a process of its own, for tests that kill it (SIGKILL) or take its database away.
// It is `npm run worker` with the whole WorkerConfig given as JSON (CHILD_WORKER_CONFIG), because
// the tests need settings the environment does not expose (orphanAfterSeconds above all).
// It says "ready" on stdout once it is working the queues.

async function main() {
  const config = JSON.parse(process.env.CHILD_WORKER_CONFIG ?? "") as WorkerConfig;
  const worker = await startWorker(config);
  process.stdout.write("ready\n");
  process.on("SIGTERM", () => void worker.stop(5_000).then(() => process.exit(0)));
}

main().catch((e) => {
  console.error(`child worker could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
