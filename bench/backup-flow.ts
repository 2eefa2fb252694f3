import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/client";
import { persistentAttachments } from "@/db/schema";
import { createBatch } from "@/lib/batches/create-batch";
import { createBoss, setBoss } from "@/lib/jobs/boss";
import { createQueues } from "@/lib/jobs/registry";
import { createDocumentStorage, type DocumentStorage } from "@/lib/pdf/storage";
import { createS3DocumentStorage } from "@/lib/storage/s3-storage";
import { type LocalBenefitsIntake, startLocalBenefitsIntake } from "@/local/benefits-intake";
import { startS3Server } from "../tests/support/s3-server";
import { makeScannedEvidencePdf } from "./big-evidence";
import type { BenchRow } from "./support";
import { spawnBenchWorker } from "./worker-process";

// Backup flow throughput: N never-tried claims in one batch (no rate limit to speak of), one worker
// process, the local Benefits Intake service answering every call after 50 ms. Claims per second
// from the batch's start to its last upload, and the worker's peak RSS (VmHWM). Run on the local
// folder and on object storage (s3rver, the S3-compatible server the tests use) in the same run,
// then on each a small batch with one scanned evidence file of BENCH_BIG_EVIDENCE_MB (99:
// Benefits Intake takes at most 100 MB a document) for the worker's peak RSS.

type Options = { claims: number; concurrency: number; latencyMs: number };
type Flow = { storage: "local" | "object storage"; env: Record<string, string>; target: DocumentStorage };

export async function benchBackupFlows(url: string, scratch: string, options: Options): Promise<BenchRow[]> {
  const service = await startLocalBenefitsIntake({
    port: 0,
    dataDir: path.join(scratch, "bi"),
    stepMs: 60_000,
    storePayloads: false,
    faults: { latencyMs: options.latencyMs },
  });
  const s3 = await startS3Server("claim-triage-bench");
  const { db, close } = createDb(url, { max: 4 });
  const boss = createBoss(url, { max: 2 });
  boss.on("error", () => {});
  await boss.start();
  await createQueues(boss);
  setBoss(boss);
  const local = createDocumentStorage(path.join(scratch, "storage")); // where the seed put the evidence
  const flows: Flow[] = [
    { storage: "local", env: {}, target: local },
    {
      storage: "object storage",
      env: {
        STORAGE_URL: `s3://${s3.bucket}/bench`,
        S3_ENDPOINT: s3.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "S3RVER",
        AWS_SECRET_ACCESS_KEY: "S3RVER",
      },
      target: createS3DocumentStorage(s3.storageConfig("bench/")),
    },
  ];
  try {
    const rows: BenchRow[] = [];
    const keep = (flowRows: BenchRow[]) => {
      for (const r of flowRows) process.stderr.write(`${r.name}: ${r.value}\n`); // kept if a later flow fails
      rows.push(...flowRows);
    };
    // BENCH_FLOW_CLAIMS=0 (flow-only.ts): only the large-evidence runs.
    if (options.claims > 0)
      for (const flow of flows) keep(await runFlow(db, url, scratch, service, flow, local, options));
    const bigMb = Number(process.env.BENCH_BIG_EVIDENCE_MB ?? 99);
    for (const flow of flows)
      keep(await runFlow(db, url, scratch, service, flow, local, { ...options, claims: 50 }, bigMb * 1_000_000));
    return rows;
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await service.close();
    await s3.stop();
    await close();
  }
}

async function runFlow(
  db: Db,
  url: string,
  scratch: string,
  service: LocalBenefitsIntake,
  flow: Flow,
  local: DocumentStorage,
  options: Options,
  bigEvidenceBytes?: number,
): Promise<BenchRow[]> {
  // Claims no earlier flow (or batch) took, and their evidence where this flow's worker reads it.
  const ids = Array.from(
    await db.execute<{ id: string }>(sql`
      select c.id from saved_claims c where c.triage_state = 'never_tried' and c.main_claim_id = c.id
        and length(c.file_number) = 9 and not exists (select 1 from batch_items i where i.claim_id = c.id)
      order by c.id limit ${options.claims}`),
    (r) => Number(r.id),
  );
  if (ids.length === 0) throw new Error("no never-tried claims left for the flow: seed more (BENCH_SEED)");
  if (flow.target !== local) {
    const keys = await db.execute<{ storage_key: string }>(sql`
      select distinct a.storage_key from persistent_attachments a join saved_claims c on c.id = a.claim_id
      where c.main_claim_id = any(${sql.raw(`array[${ids.join(",")}]::bigint[]`)})`);
    for (const { storage_key } of keys) await flow.target.put(await local.read(storage_key));
  }
  let bigLabel = "";
  if (bigEvidenceBytes) {
    const bytes = await makeScannedEvidencePdf(bigEvidenceBytes);
    const stored = await flow.target.put(bytes);
    await db.insert(persistentAttachments).values({
      claimId: ids[0],
      fileName: "scanned-evidence.pdf",
      contentType: "application/pdf",
      storageKey: stored.storageKey,
      byteSize: stored.byteSize,
    });
    bigLabel = `, one with a ${(stored.byteSize / 1e6).toFixed(0)} MB evidence file`;
  }

  const worker = await spawnBenchWorker(url, scratch, service, {
    WORKER_CONCURRENCY: String(options.concurrency),
    STATUS_POLL_SECONDS: "3600",
    ...flow.env,
  });
  try {
    await sleep(3000); // the worker's start-up is not the flow's time
    const [admin] = await db.execute<{ id: number; email: string }>(
      sql`select id, email from users where role = 'admin' limit 1`,
    );
    const started = performance.now();
    const { batchId, itemCount } = await createBatch(
      db,
      {
        name: `bench ${flow.storage}${bigLabel}`,
        reason: "benchmark",
        source: "selection",
        user: { id: Number(admin.id), email: admin.email },
        ratePerMinute: 100_000,
        start: true,
      },
      { claimIds: ids },
    );
    for (;;) {
      const [row] = await db.execute<{ done: number }>(
        sql`select count(*) filter (where state not in ('pending', 'in_progress'))::int as done from batch_items where batch_id = ${batchId}`,
      );
      if (row.done >= itemCount) break;
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    const [outcome] = await db.execute<{ submitted: number; failed: number }>(
      sql`select count(*) filter (where state = 'submitted')::int as submitted, count(*) filter (where state = 'failed')::int as failed from batch_items where batch_id = ${batchId}`,
    );
    const label = `backup flow, ${flow.storage}: ${itemCount} claims${bigLabel}`;
    const rss = { name: `${label}: worker peak RSS`, value: `${worker.peakRssMb().toFixed(0)} MB`, target: "< 300 MB" };
    if (bigEvidenceBytes) {
      const [big] = await db.execute<{ state: string }>(
        sql`select state from batch_items where batch_id = ${batchId} and claim_id = ${ids[0]}`,
      );
      return [
        rss,
        { name: `${label}: that claim`, value: big.state },
        { name: `${label}: wall time`, value: `${seconds.toFixed(1)} s` },
      ];
    }
    return [
      {
        name: `${label}, ${options.latencyMs} ms latency, 1 worker × ${options.concurrency}`,
        value: `${(itemCount / seconds).toFixed(1)} claims/s`,
        target: "≥ 50 claims/s",
      },
      { name: `${label}: uploaded / failed`, value: `${outcome.submitted} / ${outcome.failed}` },
      { name: `${label}: wall time`, value: `${seconds.toFixed(1)} s` },
      rss,
    ];
  } finally {
    await worker.stop();
  }
}
