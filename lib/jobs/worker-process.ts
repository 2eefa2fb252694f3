// How a worker process is started (`npm run worker`, `npm run dev`/`start`, the benchmarks).
// V8 sizes its heap from the machine's memory (some 4 GB here) and, with that much room, lets a
// busy worker's heap grow lazily: 300+ MB RSS through a 40,000-claim batch. A claim's working set
// is a few MB (PDF bytes live outside the heap), so a 192 MB old generation keeps the worker near
// 180 MB without starving it. Raise WORKER_MAX_HEAP_MB for unusually large evidence files.
export function workerNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const heapMb = Number(env.WORKER_MAX_HEAP_MB ?? 192);
  return [
    `--max-old-space-size=${Number.isFinite(heapMb) && heapMb >= 64 ? Math.round(heapMb) : 192}`,
    "--import",
    "tsx",
    "lib/jobs/worker-main.ts",
  ];
}
