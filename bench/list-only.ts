import path from "node:path";
import { createDb } from "@/db/client";
import { runSeed } from "@/lib/demo-seed";
import { createDocumentStorage } from "@/lib/pdf/storage";
import { benchBatchesList } from "./batches-list";
import { benchClaimsList } from "./claims-list";
import { printTable, startBenchDatabase } from "./support";

// `npx tsx bench/list-only.ts`: just the claims and batches list figures, on BENCH_CLAIMS (1,000,000) claims.
async function main() {
  const bench = await startBenchDatabase();
  const { db, close } = createDb(bench.url, { max: 6 });
  try {
    await runSeed(bench.url, {
      claims: Number(process.env.BENCH_CLAIMS ?? 1_000_000),
      storage: createDocumentStorage(path.join(bench.scratch, "storage")),
    });
    printTable("Claims and batches lists", [...(await benchClaimsList(db)), ...(await benchBatchesList(db))]);
  } finally {
    await close();
    await bench.stop();
  }
  process.exit(0);
}
void main();
