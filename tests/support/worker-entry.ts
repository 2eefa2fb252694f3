import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { workerHeapFlag } from "@/lib/jobs/worker-process";
import { waitFor } from "./backup-harness";

// A worker as `npm run worker` starts it (lib/jobs/worker-main.ts, configured by its environment
// only), in a process of its own: for the tests of what an orchestrator sees (its /health and
// /ready, SIGTERM) and of processes that share nothing.

const root = process.cwd();

export type WorkerEntry = {
  child: ChildProcess;
  healthUrl: string;
  output: () => string;
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  /** Until its /ready answers 200. */
  ready: () => Promise<void>;
  kill: () => Promise<void>;
};

export function spawnWorkerEntry(options: { env: Record<string, string>; healthPort: number }) {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    LOG_LEVEL: "warn",
    WORKER_HEALTH_PORT: String(options.healthPort),
    ...options.env,
  };
  const tsx = pathToFileURL(path.join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;
  const child = spawn(
    process.execPath,
    [workerHeapFlag({ WORKER_MAX_HEAP_MB: 192 }), "--import", tsx, path.join(root, "lib", "jobs", "worker-main.ts")],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | NodeJS.Signals>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? 1)),
  );
  const healthUrl = `http://127.0.0.1:${options.healthPort}`;
  return {
    child,
    healthUrl,
    output: () => output,
    exited,
    async ready() {
      await waitFor(
        "the worker to be ready",
        async () => {
          if (child.exitCode !== null)
            throw new Error(`the worker exited (${child.exitCode}):\n${output.slice(-3000)}`);
          return (await fetch(`${healthUrl}/ready`).catch(() => null))?.status === 200;
        },
        60_000,
      );
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  } satisfies WorkerEntry;
}
