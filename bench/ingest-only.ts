import { benchIngest } from "./ingest";
import { printTable, startBenchDatabase } from "./support";

// `npx tsx bench/ingest-only.ts`: the ingest figures alone, on a fresh database (BENCH_INGEST_RECORDS
// from a file, BENCH_INGEST_HTTP_RECORDS over HTTP; 0 skips the web app and its build).

async function main() {
  const bench = await startBenchDatabase();
  try {
    const rows = await benchIngest(bench.url, bench.scratch, {
      fileRecords: Number(process.env.BENCH_INGEST_RECORDS ?? 1_000_000),
      httpRecords: Number(process.env.BENCH_INGEST_HTTP_RECORDS ?? 100_000),
    });
    printTable("Claim Triage ingest", rows);
  } finally {
    await bench.stop();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
