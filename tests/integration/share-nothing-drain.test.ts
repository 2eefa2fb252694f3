import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startBackupsInTransaction } from "@/lib/backup/start-backup";
import { freePort } from "../../bench/load-app";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { createClaimGroups, testVeteran } from "../support/claims-factory";
import { describeClaims, expectEachClaimEndedOnce, waitUntilSettled } from "../support/fault-tools";
import { spawnWorkerEntry, type WorkerEntry } from "../support/worker-entry";

// Issue #14: a worker stopped as an orchestrator stops it (SIGTERM, `npm run worker`'s own entry)
// while it has jobs in flight. It takes no new ones, finishes those it can within
// WORKER_SHUTDOWN_GRACE_SECONDS and hands the rest back to the queue at once, then exits 0.
// Whichever way: every claim ends uploaded exactly once (counted at the local Benefits Intake).

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((e) => console.error(e));
});

async function startHarness(latencyMs: number) {
  const h = await startBackupHarness({}, { storePayloads: false, faults: { latencyMs } });
  cleanups.push(async () => {
    await h.stop();
    rmSync(h.scratch, { recursive: true, force: true });
  });
  await h.admin.reset();
  await h.admin.faults({ latencyMs });
  return h;
}

async function startWorker(h: BackupHarness, env: Record<string, string>) {
  const worker = spawnWorkerEntry({
    healthPort: await freePort(),
    env: {
      DATABASE_URL: h.config.databaseUrl,
      BENEFITS_INTAKE_URL: h.service.url,
      BENEFITS_INTAKE_API_KEY: h.service.apiKey,
      VA_NOTIFY_URL: h.service.notifyUrl,
      VA_NOTIFY_API_KEY: h.service.notifyApiKey,
      STORAGE_DIR: h.storageDir,
      RETRY_TIME_FACTOR: "1000000",
      // No status poll (and with it no recovery of orphaned jobs) during the test: a claim that
      // settles was finished or taken over, not found later.
      STATUS_POLL_SECONDS: "3600",
      WORKER_CONCURRENCY: "4",
      ...env,
    },
  });
  cleanups.push(() => worker.kill());
  await worker.ready();
  return worker;
}

// Claims whose upload is on the wire now: the attempt has asked for its upload, not yet finished.
const uploadsOnTheWire = async (h: BackupHarness, ids: number[]) =>
  (
    await h.sql<{ claim_id: string }[]>`select claim_id from backup_attempts
      where claim_id in ${h.sql(ids)} and status = 'pending' and upload_started_at is not null`
  ).map((r) => Number(r.claim_id));

async function startClaims(h: BackupHarness, n: number) {
  const groups = await createClaimGroups(
    h.db,
    Array.from({ length: n }, () => testVeteran()),
  );
  const ids = groups.map((g) => g.mainClaimId);
  await h.db.transaction((tx) =>
    startBackupsInTransaction(tx, ids, { trigger: "user", userId: null, batchId: null, force: false }),
  );
  return { groups, ids };
}

async function sigterm(worker: WorkerEntry) {
  const sent = Date.now();
  worker.child.kill("SIGTERM");
  const code = await worker.exited;
  return { code, seconds: (Date.now() - sent) / 1000 };
}

describe("SIGTERM with jobs in flight", () => {
  it("the worker finishes its running jobs within the grace period, takes no new ones, and exits 0", async () => {
    // Every Benefits Intake call takes 1.5 s: a claim's backup runs for several seconds.
    const h = await startHarness(1_500);
    const first = await startWorker(h, { WORKER_SHUTDOWN_GRACE_SECONDS: "30" });
    const { groups, ids } = await startClaims(h, 24);
    // Uploads on the wire while the first worker is the only one: they are its jobs.
    const mine = await waitFor(
      "uploads on the wire",
      async () => {
        const claims = await uploadsOnTheWire(h, ids);
        return claims.length >= 2 && claims;
      },
      60_000,
    );
    const second = await startWorker(h, { WORKER_SHUTDOWN_GRACE_SECONDS: "30" });

    const stopped = await sigterm(first);
    expect(stopped.code).toBe(0);
    expect(stopped.seconds).toBeLessThan(30);
    expect(first.output()).not.toContain("jobs handed back at shutdown");
    // It stopped answering ready as soon as it began to stop; the other worker still is.
    expect((await fetch(`${second.healthUrl}/ready`)).status).toBe(200);

    await waitUntilSettled(h, groups, 120_000).catch(async (e) => {
      console.log(await describeClaims(h, ids), first.output().slice(-3000));
      throw e;
    });
    const { uploaded, failed } = await expectEachClaimEndedOnce(h, groups);
    expect(failed).toEqual([]);
    expect(uploaded).toHaveLength(24);
    // The uploads it had on the wire it finished itself: one attempt each, never taken over.
    const attempts = await h.sql<{ claim_id: string; n: number }[]>`
      select claim_id, count(*)::int as n from backup_attempts where claim_id in ${h.sql(mine)} group by 1`;
    expect(attempts.map((a) => a.n)).toEqual(mine.map(() => 1));
    await second.kill();
  }, 240_000);

  it("jobs still running when the grace period ends go back to the queue at once; nothing lost, nothing doubled", async () => {
    // Every call takes 6 s: a backup cannot finish within a grace period of 1 s.
    const h = await startHarness(6_000);
    const first = await startWorker(h, { WORKER_SHUTDOWN_GRACE_SECONDS: "1" });
    const { groups, ids } = await startClaims(h, 12);
    await waitFor("an upload on the wire", async () => (await uploadsOnTheWire(h, ids)).length >= 1, 60_000);

    const stopped = await sigterm(first);
    expect(stopped.code).toBe(0);
    expect(stopped.seconds).toBeLessThan(15);
    expect(first.output()).toContain("jobs handed back at shutdown");

    // Another worker takes them over within seconds: a job left active would wait out its expiry
    // (15 minutes), a claim left in flight the orphan check (2 minutes, and no status poll runs here).
    await h.admin.faults({ latencyMs: 100 });
    const second = await startWorker(h, { WORKER_CONCURRENCY: "8" });
    await waitUntilSettled(h, groups, 60_000).catch(async (e) => {
      console.log(await describeClaims(h, ids), first.output().slice(-3000), second.output().slice(-3000));
      throw e;
    });
    const { uploaded, failed } = await expectEachClaimEndedOnce(h, groups);
    expect(failed).toEqual([]);
    expect(uploaded).toHaveLength(12);
    await second.kill();
  }, 240_000);
});
