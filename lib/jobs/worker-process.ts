import { type Env, getEnv } from "../env";

// How a worker process is started (`npm run worker`, `npm run dev`/`demo`, the benchmarks).
// V8 sizes its heap from the machine's memory (some 4 GB here) and, with that much room, lets a
// busy worker's heap grow lazily: 300+ MB RSS through a 40,000-claim batch. A claim's working set
// is a few MB (PDF bytes live outside the heap), so a 192 MB old generation keeps the worker near
// 180 MB without starving it. Raise WORKER_MAX_HEAP_MB for unusually large evidence files.
// `npm run worker` passes the same flag from package.json (a flag V8 reads only as it starts).
export function workerHeapFlag(env: Pick<Env, "WORKER_MAX_HEAP_MB">): string {
  return `--max-old-space-size=${env.WORKER_MAX_HEAP_MB}`;
}

export function workerNodeArgs(env: Pick<Env, "WORKER_MAX_HEAP_MB"> = getEnv()): string[] {
  return [workerHeapFlag(env), "--import", "tsx", "lib/jobs/worker-main.ts"];
}
