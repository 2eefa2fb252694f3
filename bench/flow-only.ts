import path from "node:path";
import { runSeed } from "@/lib/demo-seed";
import { createDocumentStorage } from "@/lib/pdf/storage";
import { benchBackupFlows } from "./backup-flow";
import { printTable, printTopStatements, resetStatements, startBenchDatabase } from "./support";

// `npx tsx bench/flow-only.ts`: just the backup-flow figure, on a small seed.
async function main() {
  const bench = await startBenchDatabase();
  try {
    await runSeed(bench.url, {
      claims: Number(process.env.BENCH_SEED ?? 40_000),
      storage: createDocumentStorage(path.join(bench.scratch, "storage")),
    });
    if (process.env.BENCH_PG_STATS) await resetStatements(bench.url);
    const rows = await benchBackupFlows(bench.url, bench.scratch, {
      claims: Number(process.env.BENCH_FLOW_CLAIMS ?? 1000),
      concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
      latencyMs: 50,
    });
    printTable("Backup flow", rows);
    if (process.env.BENCH_PG_STATS) await printTopStatements(bench.url);
  } finally {
    await bench.stop();
  }
  process.exit(0);
}
void main();
