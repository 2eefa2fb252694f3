import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { createBatch } from "@/lib/batches/create-batch";
import { createBoss, setBoss } from "@/lib/jobs/boss";
import { createQueues } from "@/lib/jobs/registry";
import { startLocalBenefitsIntake } from "@/local/benefits-intake";
import type { BenchRow } from "./support";
import { spawnBenchWorker } from "./worker-process";

// Backup flow throughput: N never-tried claims in one batch (no rate limit to speak of), one worker
// process, the local Benefits Intake service answering every call after 50 ms. Claims per second
// from the batch's start to its last upload, and the worker's peak RSS (VmHWM).

export async function benchBackupFlow(
  url: string,
  scratch: string,
  options: { claims: number; concurrency: number; latencyMs: number },
): Promise<BenchRow[]> {
  const service = await startLocalBenefitsIntake({
    port: 0,
    dataDir: path.join(scratch, "bi"),
    stepMs: 60_000,
    storePayloads: false,
    faults: { latencyMs: options.latencyMs },
  });
  const { db, close } = createDb(url, { max: 4 });
  const boss = createBoss(url, { max: 2 });
  boss.on("error", () => {});
  await boss.start();
  await createQueues(boss);
  setBoss(boss);

  const worker = await spawnBenchWorker(url, scratch, service, {
    WORKER_CONCURRENCY: String(options.concurrency),
    STATUS_POLL_SECONDS: "3600",
  });
  try {
    await sleep(3000); // the worker's start-up is not the flow's time
    const [admin] = await db.execute<{ id: number; email: string }>(
      sql`select id, email from users where role = 'admin' limit 1`,
    );
    const where = sql`id in (select id from saved_claims where triage_state = 'never_tried' and main_claim_id = id and length(file_number) = 9 order by id limit ${options.claims})`;
    const started = performance.now();
    const { batchId, itemCount } = await createBatch(
      db,
      {
        name: "bench",
        reason: "benchmark",
        source: "filter",
        user: { id: Number(admin.id), email: admin.email },
        ratePerMinute: 100_000,
        start: true,
      },
      { where },
    );
    let done = 0;
    for (;;) {
      const [row] = await db.execute<{ done: number }>(
        sql`select count(*) filter (where state not in ('pending', 'in_progress'))::int as done from batch_items where batch_id = ${batchId}`,
      );
      done = row.done;
      if (done >= itemCount) break;
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    const [outcome] = await db.execute<{ submitted: number; failed: number }>(
      sql`select count(*) filter (where state = 'submitted')::int as submitted, count(*) filter (where state = 'failed')::int as failed from batch_items where batch_id = ${batchId}`,
    );
    return [
      {
        name: `backup flow: ${itemCount} claims, ${options.latencyMs} ms latency, 1 worker × ${options.concurrency}`,
        value: `${(itemCount / seconds).toFixed(1)} claims/s`,
        target: "≥ 50 claims/s",
      },
      { name: "backup flow: uploaded / failed", value: `${outcome.submitted} / ${outcome.failed}` },
      { name: "backup flow: wall time", value: `${seconds.toFixed(1)} s` },
      { name: "worker peak RSS", value: `${worker.peakRssMb().toFixed(0)} MB`, target: "< 300 MB" },
    ];
  } finally {
    await worker.stop();
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await service.close();
    await close();
  }
}
