import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { users } from "@/db/schema";
import { retryDelaySeconds } from "@/lib/backup/retry-schedule";
import { startBackupsInTransaction } from "@/lib/backup/start-backup";
import { createBatch } from "@/lib/batches/create-batch";
import { createClaimGroup } from "./support/claims-factory";
import { startBackupHarness, waitFor, type BackupHarness } from "./support/backup-harness";
import { describeClaims, expectEachClaimEndedOnce, startTcpGate, waitUntilSettled } from "./support/fault-tools";

// Issue #7, hardening against faults: the backup flow with real PostgreSQL, real workers and the
// local Benefits Intake over HTTP, while the things it depends on fail under it. Whatever happens,
// each claim ends uploaded exactly once or failed with the veteran told, and nothing stays in flight.

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
});

async function createClaims(h: BackupHarness, n: number) {
  const groups: Awaited<ReturnType<typeof createClaimGroup>>[] = [];
  // A few at a time: the harness pool has 10 connections.
  for (let i = 0; i < n; i += 8) groups.push(...(await Promise.all(Array.from({ length: Math.min(8, n - i) }, () => createClaimGroup(h.db)))));
  return groups;
}

const countUploaded = async (h: BackupHarness, ids: number[], since = new Date(0)) =>
  (await h.sql<{ n: number }[]>`select count(*)::int as n from backup_attempts where claim_id in ${h.sql(ids)} and submitted_at is not null and submitted_at > ${since.toISOString()}::timestamptz`)[0].n;

describe("PostgreSQL restarted while a batch runs", () => {
  it("the worker reconnects, the batch completes, and every claim is uploaded exactly once", async () => {
    // A server of this test's own: the shared test database cannot be restarted under other files.
    const scratch = mkdtempSync(path.join(os.tmpdir(), "backup-faults-pg-"));
    chmodSync(scratch, 0o755); // PostgreSQL runs as its own user when we are root: it must get in
    const dataDir = path.join(scratch, "pg");
    // persistent: the data must outlive the stop (a non-persistent server deletes it).
    let pg: EmbeddedDatabase = await startEmbeddedDatabase({ dataDir, persistent: true });
    cleanups.push(async () => {
      await pg.stop();
      rmSync(scratch, { recursive: true, force: true });
    });
    const port = Number(new URL(pg.url).port);
    await migrateDatabase(pg.url);

    // A dead worker's job is recognised (its claim lock free) after 8 s; statuses are polled often.
    const h = await startBackupHarness({ concurrency: 8, orphanAfterSeconds: 8, statusPollSeconds: 2 }, {}, pg.url);
    cleanups.push(() => h.stop());
    const [user] = await h.db.insert(users).values({ email: "triager@example.com", name: "Triager", role: "triager" }).returning();
    const groups = await createClaims(h, 150);
    const ids = groups.map((g) => g.mainClaimId);
    await h.startWorkers(1);

    // 100 claims a tick (every 2 s): the dispatcher is still feeding the batch when the server goes.
    const { batchId, itemCount } = await createBatch(
      h.db,
      { name: "restart", reason: "fault test", source: "selection", user, ratePerMinute: 3000, start: true },
      { claimIds: ids },
    );
    expect(itemCount).toBe(150);
    await waitFor("some uploads before the restart", async () => (await countUploaded(h, ids)) >= 30, 60_000);

    // Fast shutdown (every session cut, as in a failover or a restart by the operator), a moment
    // down, then the same server on the same port and data.
    await pg.stop();
    await sleep(2_000);
    pg = await startEmbeddedDatabase({ dataDir, persistent: true, port });
    const restartedAt = new Date();

    await waitFor("the batch to complete", async () => {
      const [batch] = await h.sql<{ state: string }[]>`select state from batches where id = ${batchId}`;
      return batch.state === "completed";
    }, 150_000).catch(async (e) => {
      console.log(await describeClaims(h, ids));
      throw e;
    });
    await waitUntilSettled(h, groups, 60_000);

    const { uploaded, failed } = await expectEachClaimEndedOnce(h, groups);
    // A restart of a few seconds is a transient fault: nobody's claim should fail for it.
    expect(failed).toEqual([]);
    expect(uploaded).toHaveLength(150);
    // The same worker, never restarted, carried on after the server came back.
    expect(await countUploaded(h, ids, restartedAt)).toBeGreaterThan(0);
    const items = await h.sql<{ state: string; n: number }[]>`select state, count(*)::int as n from batch_items where batch_id = ${batchId} group by 1`;
    expect(items.filter((i) => !["submitted", "confirmed"].includes(i.state))).toEqual([]);
    expect(items.reduce((sum, i) => sum + i.n, 0)).toBe(150);
  }, 240_000);
});

describe("Benefits Intake down for minutes, then back", () => {
  it("transient failures retry on the schedule until it is back, then each claim is uploaded exactly once", async () => {
    // The Sidekiq schedule 600 times faster: a second here stands for ten minutes of backoff.
    const h = await startBackupHarness({ concurrency: 4, retryTimeFactor: 600, maxRetries: 16, statusPollSeconds: 2 });
    cleanups.push(() => h.stop());
    // The worker reaches Benefits Intake through a gate that can refuse connections; VA Notify,
    // another service, stays up.
    const gate = await startTcpGate(h.service.port);
    cleanups.push(() => gate.shut());
    h.config.benefitsIntake = { ...h.config.benefitsIntake, baseUrl: h.service.url.replace(`:${h.service.port}/`, `:${gate.port()}/`) };
    await h.admin.reset();
    const groups = await createClaims(h, 30);
    const ids = groups.map((g) => g.mainClaimId);
    const failures = async (where: "http" | "network") =>
      h.sql<{ claim_id: string; n: number }[]>`
        select claim_id, count(*)::int as n from backup_attempts
        where claim_id in ${h.sql(ids)} and status = 'failure' and transient
          and ${where === "http" ? h.sql`http_status >= 500` : h.sql`http_status is null`}
        group by 1`;
    const everyClaimHas = async (where: "http" | "network", n: number) => {
      const rows = await failures(where);
      return rows.length === ids.length && rows.every((r) => r.n >= n);
    };

    // Down, answering 500 and 503 to everything, from before the first claim is tried.
    await h.admin.faults({ failRate: 1 });
    await h.startWorkers(1);
    await h.db.transaction((tx) => startBackupsInTransaction(tx, ids, { trigger: "user", userId: null, batchId: null, force: false }));
    await waitFor("four 5xx failures per claim", () => everyClaimHas("http", 4), 60_000);

    // Answering again, slowly; then unreachable while uploads are on the wire: the worker cannot
    // tell whether those arrived, and must not upload them a second time.
    await h.admin.faults({ failRate: 0, nextFailures: Array.from({ length: 8 }, () => ({ route: "upload" as const, delayMs: 3_000 })) });
    await waitFor("uploads on the wire", async () => {
      const [{ n }] = await h.sql<{ n: number }[]>`select count(*)::int as n from backup_attempts where claim_id in ${h.sql(ids)} and status = 'pending' and upload_started_at is not null`;
      return n >= 3;
    }, 30_000);
    await gate.shut();
    await waitFor("a refused connection per claim", () => everyClaimHas("network", 1), 60_000);
    await gate.open(); // the same port: the worker's configuration does not change

    await waitUntilSettled(h, groups, 90_000).catch(async (e) => {
      console.log(await describeClaims(h, ids));
      throw e;
    });
    const { uploaded, failed } = await expectEachClaimEndedOnce(h, groups);
    expect(failed).toEqual([]);
    expect(uploaded).toHaveLength(30);

    // Each claim: transient failures only, with consecutive retry numbers, then one upload.
    const attempts = await h.sql<{ claim_id: string; retry_number: number; status: string; transient: boolean | null }[]>`
      select claim_id, retry_number, status, transient from backup_attempts where claim_id in ${h.sql(ids)} order by claim_id, attempt_number`;
    for (const id of ids) {
      const mine = attempts.filter((a) => Number(a.claim_id) === id);
      const last = mine[mine.length - 1];
      expect(mine.map((a) => a.retry_number)).toEqual(mine.map((_, i) => i));
      expect(mine.slice(0, -1).every((a) => a.status === "failure" && a.transient === true)).toBe(true);
      expect(["submitted", "success", "vbms"]).toContain(last.status);
      // At least four 5xx and one refused connection before it got through: by the real schedule
      // (Sidekiq's, factor 1) that is at least seven minutes of backing off.
      expect(last.retry_number).toBeGreaterThanOrEqual(5);
      const backoff = Array.from({ length: last.retry_number }, (_, n) => retryDelaySeconds(n, { random: () => 0 })).reduce((a, b) => a + b, 0);
      expect(backoff).toBeGreaterThan(7 * 60);
    }
  }, 240_000);
});
