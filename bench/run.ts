import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { getLiveKpis, getOutstandingHistory, getOverviewHeavy, refreshOverviewViews } from "@/db/queries/overview";
import { runSeed } from "@/lib/demo-seed";
import { createBoss, setBoss } from "@/lib/jobs/boss";
import { createQueues } from "@/lib/jobs/registry";
import { createDocumentStorage } from "@/lib/pdf/storage";
import { benchBackupFlows } from "./backup-flow";
import { benchBatchesList } from "./batches-list";
import { benchClaimsList } from "./claims-list";
import { benchIngest } from "./ingest";
import { benchLoad } from "./load";
import { benchStamping } from "./stamp";
import { type BenchRow, createFilterBatch, ms, printTable, startBenchDatabase, timeRuns } from "./support";

// `npm run bench`: seeds BENCH_CLAIMS (1,000,000) claims through the ingest into a throwaway PostgreSQL and prints the
// figures of docs/design.md §7. No assertions: the figures are for people (README keeps the latest table).

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 1_000_000);
const FLOW_CLAIMS = Number(process.env.BENCH_FLOW_CLAIMS ?? 2_000);

async function main() {
  const rows: BenchRow[] = [
    {
      name: "machine",
      value: `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    },
  ];
  const bench = await startBenchDatabase();
  const { db, close } = createDb(bench.url, { max: 6 });
  try {
    let t = performance.now();
    await runSeed(bench.url, {
      claims: CLAIMS,
      storage: createDocumentStorage(path.join(bench.scratch, "storage")),
      log: (s) => process.stderr.write(`${s}\n`),
    });
    // The seed goes through the ingest (lib/demo-seed.ts) and then adds the console batches' history
    // (an update of about 40% of the claims): the ingest's own figures are the file and HTTP rows below.
    const seedSeconds = (performance.now() - t) / 1000;
    rows.push({
      name: `seed ${CLAIMS.toLocaleString("en-US")} claims (through the ingest, plus history)`,
      value: `${seedSeconds.toFixed(1)} s (${Math.round(CLAIMS / seedSeconds).toLocaleString("en-US")} claims/s)`,
    });

    rows.push(...(await benchClaimsList(db)));
    rows.push(...(await benchBatchesList(db)));

    // Overview: the live counts, the burn-down and the heavy figures from their views.
    t = performance.now();
    await refreshOverviewViews(db);
    rows.push({
      name: "overview: refresh of the materialized views (worker, per poll)",
      value: ms(performance.now() - t),
    });
    const overview = await timeRuns(20, () =>
      Promise.all([getLiveKpis(db), getOutstandingHistory(db), getOverviewHeavy(db)]),
    );
    rows.push({
      name: "overview: page queries (live KPIs + burn-down + charts)",
      value: `p50 ${ms(overview.p50)} p95 ${ms(overview.p95)}`,
      target: "≤ 300 ms",
    });

    // A batch from "all matching" a filter of about 40,000 claims, created and enqueued.
    const boss = createBoss(bench.url, { max: 2 });
    boss.on("error", () => {});
    await boss.start();
    await createQueues(boss);
    setBoss(boss);
    const filter = {
      formTypes: ["21-526EZ" as const],
      triageStates: ["never_tried" as const],
      submittedFrom: "2021-01-01",
      submittedTo: "2021-12-31",
      frozenAt: new Date().toISOString(),
    };
    t = performance.now();
    const batch = await createFilterBatch(db, { name: "bench 40k", filter, ratePerMinute: 600 });
    rows.push({
      name: `batch from a filter: ${batch.itemCount.toLocaleString("en-US")} claims created + enqueued`,
      value: ms(performance.now() - t),
      target: "≤ 2 s for 40,000",
    });
    // Park it: the flow benchmark below measures its own claims.
    await db.execute(sql`update batches set state = 'cancelled' where id = ${batch.batchId}`);
    await boss.stop({ graceful: false, wait: true });

    rows.push(...(await benchStamping()));
    rows.push(
      ...(await benchBackupFlows(bench.url, bench.scratch, {
        claims: FLOW_CLAIMS,
        concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
        latencyMs: 50,
      })),
    );
    // 20 sessions on the real app (production build) while a batch runs: end-to-end page time.
    rows.push(
      ...(await benchLoad(bench.url, bench.scratch, { seconds: Number(process.env.BENCH_LOAD_SECONDS ?? 30) })),
    );
    // Last: it adds its records to the seeded claims (a source sending into a full database).
    rows.push(
      ...(await benchIngest(bench.url, bench.scratch, {
        fileRecords: Number(process.env.BENCH_INGEST_RECORDS ?? 1_000_000),
        httpRecords: Number(process.env.BENCH_INGEST_HTTP_RECORDS ?? 100_000),
      })),
    );
  } finally {
    printTable("Claim Triage benchmarks", rows);
    await close();
    await bench.stop();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
