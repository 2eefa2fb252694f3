import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import type { ClaimsFilter } from "@/db/queries/claims-list";
import { getLiveKpis, refreshOverviewViews } from "@/db/queries/overview";
import { runSeed } from "@/lib/demo-seed";
import { createBoss, setBoss } from "@/lib/jobs/boss";
import { createQueues } from "@/lib/jobs/registry";
import { createDocumentStorage } from "@/lib/pdf/storage";
import { startLocalBenefitsIntake } from "@/local/benefits-intake";
import { type BenchRow, createFilterBatch, printTable, startBenchDatabase } from "./support";
import { spawnBenchWorker } from "./worker-process";

// `npx tsx bench/large-batch.ts`: the acceptance run of issue #6. A batch of about 40,000 claims made
// the way "select all matching" makes it (every outstanding claim, the filter frozen), run to the
// end by one worker process against the local Benefits Intake service with faults injected: 5xx,
// 429 with Retry-After, hung calls, permanent 400s, and uploads that later end in error or expire.
// VA Notify gets the transient faults too, not permanent 400s: an e-mail VA Notify refuses for good
// leaves its claim a silent failure by definition, for a person (the overview shows it red); the
// suite tests that path (backup-flow.test.ts).
// Prints the wall time, how every claim ended, the overview's figures and the worker's peak RSS.

const SEED = Number(process.env.BATCH_SEED ?? 340_000); // about 12% of seeded claims are outstanding main claims
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const FAULTS = {
  latencyMs: 50,
  failRate: 0.02,
  rateLimitRate: 0.01,
  retryAfterS: 1,
  hangRate: 0.001,
  badRequestRate: 0.003,
  errorRate: 0.003,
  expireRate: 0.001,
};

async function main() {
  const bench = await startBenchDatabase();
  const { db, close } = createDb(bench.url, { max: 4 });
  const service = await startLocalBenefitsIntake({
    port: 0,
    dataDir: path.join(bench.scratch, "bi"),
    stepMs: 500,
    storePayloads: false,
    faults: FAULTS,
    seed: 6,
  });
  const boss = createBoss(bench.url, { max: 2 });
  boss.on("error", () => {});
  let worker: Awaited<ReturnType<typeof spawnBenchWorker>> | undefined;
  const rows: BenchRow[] = [];
  try {
    let t = performance.now();
    await runSeed(bench.url, {
      claims: SEED,
      storage: createDocumentStorage(path.join(bench.scratch, "storage")),
      log: (s) => process.stderr.write(`${s}\n`),
    });
    rows.push({
      name: `seed ${SEED.toLocaleString("en-US")} claims`,
      value: `${((performance.now() - t) / 1000).toFixed(0)} s`,
    });
    await boss.start();
    await createQueues(boss);
    setBoss(boss);
    await refreshOverviewViews(db);
    const before = await getLiveKpis(db);

    worker = await spawnBenchWorker(bench.url, bench.scratch, service, {
      WORKER_CONCURRENCY: String(CONCURRENCY),
      STATUS_POLL_SECONDS: "10",
      RETRY_TIME_FACTOR: "100", // the retry schedule's minutes pass in seconds
      BENEFITS_INTAKE_TIMEOUT_MS: "5000", // a hung call times out and is retried
    });
    const filter: ClaimsFilter = { triageStates: ["never_tried", "failed"], frozenAt: new Date().toISOString() };
    t = performance.now();
    const batch = await createFilterBatch(db, { name: "all outstanding", filter, ratePerMinute: 10_000 });
    rows.push({
      name: 'batch from "select all matching" (outstanding claims)',
      value: `${batch.itemCount.toLocaleString("en-US")} claims, created in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    });

    // Until every item has an end: confirmed in VBMS, failed, or skipped (submitted is not an end).
    const started = performance.now();
    let lastPrint = 0;
    for (;;) {
      const [p] = Array.from(
        await db.execute<{ open: number; submitted: number; done: number }>(sql`
        select count(*) filter (where state in ('pending', 'in_progress'))::int as open,
               count(*) filter (where state = 'submitted')::int as submitted,
               count(*) filter (where state not in ('pending', 'in_progress', 'submitted'))::int as done
        from batch_items where batch_id = ${batch.batchId}`),
      );
      if (performance.now() - lastPrint > 30_000) {
        lastPrint = performance.now();
        process.stderr.write(
          `${((lastPrint - started) / 1000).toFixed(0)} s: ${p.open} to upload, ${p.submitted} awaiting VBMS, ${p.done} ended; worker RSS peak ${worker.peakRssMb().toFixed(0)} MB\n`,
        );
      }
      if (p.open === 0 && p.submitted === 0) break;
      await sleep(2000);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    // E-mails still queued go out within moments, or a few minutes when VA Notify failed them and
    // they wait for a retry; wait for them so "notified" is true, not pending.
    for (let i = 0; i < 600; i++) {
      const [{ queued }] = Array.from(
        await db.execute<{ queued: number }>(
          sql`select count(*)::int as queued from notifications where status = 'queued'`,
        ),
      );
      if (queued === 0) break;
      await sleep(1000);
    }
    await refreshOverviewViews(db);
    const after = await getLiveKpis(db);

    const outcome = Array.from(
      await db.execute<{ state: string; n: number }>(
        sql`select state, count(*)::int as n from batch_items where batch_id = ${batch.batchId} group by 1 order by 1`,
      ),
    );
    const [failedNotified] = Array.from(
      await db.execute<{ failed: number; notified: number }>(sql`
      select count(*)::int as failed, count(*) filter (where c.failure_notified)::int as notified
      from batch_items i join saved_claims c on c.id = i.claim_id where i.batch_id = ${batch.batchId} and i.state = 'failed'`),
    );
    const [attempts] = Array.from(
      await db.execute<{ n: number; transient: number }>(sql`
      select count(*)::int as n, count(*) filter (where transient)::int as transient from backup_attempts where batch_id = ${batch.batchId}`),
    );
    // Nothing twice: no upload location PUT to twice, and no claim with two uploads that landed.
    const res = await fetch(`${service.origin}/_admin/uploads`, { headers: { apikey: service.apiKey } });
    const uploads = ((await res.json()) as { data: { acceptedPutCount: number }[] }).data;
    const [landed] = Array.from(
      await db.execute<{ claims: number; most: number }>(sql`
      select count(*)::int as claims, coalesce(max(n), 0)::int as most from (
        select claim_id, count(*) as n from backup_attempts
        where batch_id = ${batch.batchId} and status in ('submitted', 'success', 'vbms', 'error', 'expired') group by 1) per_claim`),
    );
    rows.push(
      {
        name: "wall time, batch start to every claim ended",
        value: `${(wallSeconds / 60).toFixed(1)} min (${(batch.itemCount / wallSeconds).toFixed(1)} claims/s)`,
      },
      { name: "batch items by end state", value: outcome.map((o) => `${o.state} ${o.n}`).join(", ") },
      {
        name: "failed items whose veteran was e-mailed",
        value: `${failedNotified.notified} of ${failedNotified.failed}`,
      },
      { name: "attempts (transient failures among them)", value: `${attempts.n} (${attempts.transient})` },
      {
        name: "claims uploaded / most landed uploads for one claim",
        value: `${landed.claims} / ${landed.most}`,
        target: "most 1",
      },
      {
        name: "uploads accepted by the service / most PUTs to one location",
        value: `${uploads.filter((u) => u.acceptedPutCount > 0).length} / ${Math.max(0, ...uploads.map((u) => u.acceptedPutCount))}`,
      },
      {
        name: "overview before: outstanding / black hole / failed / silent",
        value: `${before.outstanding} / ${before.outstandingBlackHole} / ${before.failed} / ${before.silentFailures}`,
      },
      {
        name: "overview after: outstanding / black hole / failed / silent",
        value: `${after.outstanding} / ${after.outstandingBlackHole} / ${after.failed} / ${after.silentFailures}`,
        target: "silent failures 0",
      },
      { name: "worker peak RSS", value: `${worker.peakRssMb().toFixed(0)} MB`, target: "< 300 MB" },
    );
    // Any silent failure left, and why: its claim's state and its failure e-mail's.
    const silent = Array.from(
      await db.execute<{ id: number; triage_state: string; e_mail: string | null; last_error: string | null }>(sql`
      select c.id::int, c.triage_state, n.status as e_mail, n.last_error
      from saved_claims c
      left join lateral (select status, last_error from notifications where claim_id = c.id and template = 'backup_failed' order by id desc limit 1) n on true
      where c.triage_state in ('never_tried', 'failed') and not c.failure_notified
        and c.id in (select claim_id from batch_items where batch_id = ${batch.batchId})
      limit 20`),
    );
    for (const c of silent)
      rows.push({
        name: `  silent: claim ${c.id}`,
        value: `${c.triage_state}, failure e-mail ${c.e_mail ?? "none"}${c.last_error ? ` (${c.last_error.slice(0, 60)})` : ""}`,
      });
  } finally {
    printTable("40,000-claim batch against the local Benefits Intake service with faults", rows);
    await worker?.stop();
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await service.close();
    await close();
    await bench.stop();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
