import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { users } from "@/db/schema";
import { createBatch } from "@/lib/batches/create-batch";
import { createClaimGroup } from "./support/claims-factory";
import { startBackupHarness, waitFor, type BackupHarness } from "./support/backup-harness";
import { describeClaims, expectEachClaimEndedOnce, waitUntilSettled } from "./support/fault-tools";

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
