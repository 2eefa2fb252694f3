import path from "node:path";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { type ClaimsFilter, claimsWhere } from "@/db/queries/claims-list";
import { BatchTooLargeError } from "@/lib/batches/batch-limit";
import { computeDryRun } from "@/lib/claims/dry-run";
import { runSeed } from "@/lib/demo-seed";
import { createDocumentStorage } from "@/lib/pdf/storage";
import { type BenchRow, createFilterBatch, ms, printTable, startBenchDatabase, timeRuns } from "./support";

// `npx tsx bench/dry-run.ts`: the resubmit dialog's dry run and the batch cap on a large database
// (BENCH_CLAIMS, 1,000,000; a server DATABASE_URL names that is already seeded is used as it is).
// Prints how long the dry run takes for selections from a few claims to every claim, whether it was
// exact or sampled, and how long a batch at the cap takes to be made or refused.

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 1_000_000);

const SELECTIONS: { name: string; filter: ClaimsFilter }[] = [
  { name: "every claim", filter: {} },
  { name: "never tried or failed (outstanding)", filter: { triageStates: ["never_tried", "failed"] } },
  { name: "21-526EZ", filter: { formTypes: ["21-526EZ"] } },
  { name: "21-526EZ never tried", filter: { formTypes: ["21-526EZ"], triageStates: ["never_tried"] } },
  { name: "one failure reason", filter: { triageStates: ["failed"], blackHole: false } },
  { name: "search 'smith'", filter: { q: "smith" } },
];

async function main() {
  const bench = await startBenchDatabase();
  const { db, close } = createDb(bench.url, { max: 4 });
  const rows: BenchRow[] = [];
  try {
    await runSeed(bench.url, {
      claims: CLAIMS,
      storage: createDocumentStorage(path.join(bench.scratch, "storage")),
      log: (s) => process.stderr.write(`${s}\n`),
    });
    const [{ n }] = Array.from(await db.execute<{ n: number }>(sql`select count(*)::int as n from saved_claims`));
    rows.push({ name: "claims in the database", value: Number(n).toLocaleString("en-US") });
    const frozenAt = new Date().toISOString();
    for (const s of SELECTIONS) {
      const where = claimsWhere({ ...s.filter, frozenAt }, { piiSearch: true });
      let last: Awaited<ReturnType<typeof computeDryRun>> | undefined;
      const t = await timeRuns(3, async () => {
        last = await computeDryRun(db, where, { force: false });
      });
      const d = last!;
      rows.push({
        name: `dry run: ${s.name}`,
        value: `p50 ${ms(t.p50)} max ${ms(t.max)}; ${d.selectedClaims.toLocaleString("en-US")} claims, ${d.willStart.toLocaleString("en-US")} to start, ${d.sampled ? `sampled (${d.sampled.examined.toLocaleString("en-US")} examined)` : "exact"}`,
        target: "a few seconds",
      });
    }
    // Over the cap (refused after one item past it) and just under it (made).
    for (const s of [SELECTIONS[0], SELECTIONS[1], SELECTIONS[3]]) {
      const filter = { ...s.filter, frozenAt };
      const t = performance.now();
      let outcome: string;
      try {
        const batch = await createFilterBatch(db, { name: `bench ${s.name}`, filter, ratePerMinute: 600 });
        outcome = `created, ${batch.itemCount.toLocaleString("en-US")} items`;
        await db.execute(sql`update batches set state = 'cancelled' where id = ${batch.batchId}`);
      } catch (e) {
        if (!(e instanceof BatchTooLargeError)) throw e;
        outcome = `refused over the cap of ${e.limit.toLocaleString("en-US")}`;
      }
      rows.push({
        name: `batch from "${s.name}"`,
        value: `${outcome} in ${((performance.now() - t) / 1000).toFixed(2)} s`,
      });
    }
  } finally {
    printTable("Dry run and batch cap on a large selection", rows);
    await close();
    await bench.stop();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
