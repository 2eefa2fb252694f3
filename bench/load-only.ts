import path from "node:path";
import { runSeed } from "@/lib/demo-seed";
import { createDocumentStorage } from "@/lib/pdf/storage";
import { benchLoad } from "./load";
import { printTable, printTopStatements, resetStatements, startBenchDatabase } from "./support";

// `npx tsx bench/load-only.ts`: just the load figures, on a small seed. BENCH_LOAD_SECONDS changes
// the measured time, BENCH_LOAD_SESSIONS the number of sessions,
// BENCH_LOAD_THINK_MS a pause between a session's pages; BENCH_REBUILD=true forces a new build of the web app.
async function main() {
  const bench = await startBenchDatabase();
  let code = 0;
  try {
    await runSeed(bench.url, {
      claims: Number(process.env.BENCH_SEED ?? 40_000),
      storage: createDocumentStorage(path.join(bench.scratch, "storage")),
    });
    if (process.env.BENCH_PG_STATS) await resetStatements(bench.url);
    const rows = await benchLoad(bench.url, bench.scratch, {
      seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 30),
      sessions: Number(process.env.BENCH_LOAD_SESSIONS ?? 20),
      thinkMs: Number(process.env.BENCH_LOAD_THINK_MS ?? 0),
    });
    printTable("Load", rows);
    if (process.env.BENCH_PG_STATS) await printTopStatements(bench.url, 30);
  } catch (e) {
    console.error(e);
    code = 1;
  } finally {
    await bench.stop();
  }
  process.exit(code);
}
void main();
