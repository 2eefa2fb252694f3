import { spawn } from "node:child_process";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/db/migrate";
import { backupAttempts, backupSubmissions } from "@/db/schema";
import { startBackup } from "@/lib/backup/start-backup";
import { backupClaimJob, backupSingletonKey } from "@/lib/jobs/backup-claim";
import { QUEUE_SCHEMA } from "@/lib/jobs/boss";
import { pollUploadStatusesJob } from "@/lib/jobs/poll-upload-statuses";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { createClaimGroup } from "../support/claims-factory";
import { acceptedUploadsByFileNumber } from "../support/fault-tools";
import { createThrowawayDatabase } from "../support/throwaway-database";

// Nothing twice: two triagers and two workers on the same claims, and a worker killed mid-upload.

let h: BackupHarness;
let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
beforeAll(async () => {
  // A database of its own: the status polls (every 2 s here) ask about every upload in the
  // database, and the shared one holds earlier suites' uploads, unknown to this Benefits Intake.
  database = await createThrowawayDatabase("backup_concurrency");
  await migrateDatabase(database.url);
  // A worker counts as dead when its job has run this long with its claim lock free.
  h = await startBackupHarness({ orphanAfterSeconds: 12, statusPollSeconds: 2 }, {}, database.url);
});
afterAll(async () => {
  await h?.stop();
  await database?.drop();
});

async function allSettled(claimIds: number[], timeoutMs = 120_000) {
  await waitFor(
    `${claimIds.length} claims to settle`,
    async () => {
      const rows = await h.db
        .select({ inFlight: backupSubmissions.inFlightSince })
        .from(backupSubmissions)
        .where(inArray(backupSubmissions.claimId, claimIds));
      return rows.length === claimIds.length && rows.every((r) => r.inFlight === null);
    },
    timeoutMs,
  );
}

describe("exactly one backup per claim", () => {
  it("two callers and two workers on the same 200 claims produce exactly 200 uploads", async () => {
    await h.admin.reset();
    const groups = await Promise.all(Array.from({ length: 200 }, () => createClaimGroup(h.db)));
    await h.startWorkers(2);
    const ask = (claimId: number) =>
      startBackup(h.db, { claimId, trigger: "user", userId: null, batchId: null, force: false });
    const [first, second] = await Promise.all([
      Promise.all(groups.map((g) => ask(g.mainClaimId))),
      Promise.all([...groups].reverse().map((g) => ask(g.mainClaimId))),
    ]);
    const started = [...first, ...second].filter((o) => o.started).length;
    expect(started).toBe(200);
    // The loser of each race is told why: still in flight, or already done by the winner.
    const reasons = new Set([...first, ...second].flatMap((o) => (o.started ? [] : [o.reason])));
    expect([...reasons].every((r) => r === "already_in_flight" || r === "already_submitted")).toBe(true);

    const ids = groups.map((g) => g.mainClaimId);
    await allSettled(ids);
    // A slow answer may cost a claim a transient failure and a retry, but each ends with one upload.
    const attempts = await h.db.select().from(backupAttempts).where(inArray(backupAttempts.claimId, ids));
    const uploaded = (a: { status: string }) => ["submitted", "success", "vbms"].includes(a.status);
    for (const id of ids) expect(attempts.filter((a) => a.claimId === id && uploaded(a))).toHaveLength(1);
    const uploads = await acceptedUploadsByFileNumber(h);
    for (const g of groups) expect(uploads.get(g.veteran.fileNumber)).toBe(1);
  }, 180_000);

  it("a worker killed mid-upload leaves nothing lost and nothing uploaded twice", async () => {
    await h.admin.reset();
    const groups = await Promise.all(Array.from({ length: 12 }, () => createClaimGroup(h.db)));
    // Stop the in-process workers' hands: a child worker takes these claims, and dies.
    await h.admin.faults({ nextFailures: groups.map(() => ({ route: "upload" as const, delayMs: 2_500 })) });
    // node itself with tsx's loader: one process, so SIGKILL kills the worker and not a wrapper.
    const child = spawn(process.execPath, ["--import", "tsx", "lib/jobs/worker-main.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
        BENEFITS_INTAKE_URL: h.config.benefitsIntake.baseUrl,
        BENEFITS_INTAKE_API_KEY: h.config.benefitsIntake.apiKey,
        VA_NOTIFY_URL: h.config.vaNotify.baseUrl,
        VA_NOTIFY_API_KEY: h.config.vaNotify.apiKey,
        STORAGE_DIR: h.storageDir,
        WORKER_CONCURRENCY: "12",
        STATUS_POLL_SECONDS: "3600",
      },
      stdio: "ignore",
    });
    await h.stopWorkers(); // only the child works until it is killed
    for (const g of groups)
      await startBackup(h.db, { claimId: g.mainClaimId, trigger: "user", userId: null, batchId: null, force: false });

    const ids = groups.map((g) => g.mainClaimId);
    // Kill it once several uploads are under way (the uuid recorded, the PUT in flight).
    await waitFor(
      "uploads in flight",
      async () => {
        const rows = await h.db.select().from(backupAttempts).where(inArray(backupAttempts.claimId, ids));
        return rows.filter((r) => r.uploadStartedAt !== null).length >= 4;
      },
      60_000,
    );
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));

    const pendingAtDeath = await h.db.select().from(backupAttempts).where(inArray(backupAttempts.claimId, ids));
    expect(pendingAtDeath.some((a) => a.status === "pending")).toBe(true);

    // A fresh worker finds the dead one's jobs and finishes them.
    await h.startWorkers(1);
    await allSettled(ids, 150_000).catch(async (e) => {
      // Say where each claim stood, so a failure here can be read without re-running it.
      console.log(
        "DEBUG attempts",
        JSON.stringify(
          await h.sql`
            select claim_id, attempt_number, status, upload_started_at is not null as up, error_code, error_message
            from backup_attempts where claim_id in ${h.sql(ids)} order by 1,2`,
        ),
      );
      const jobs = h.sql(`${QUEUE_SCHEMA}.job`);
      console.log(
        "DEBUG jobs",
        JSON.stringify(
          await h.sql`
            select state, singleton_key, started_on, retry_count, output from ${jobs}
            where name = ${backupClaimJob.queue.name} and singleton_key in ${h.sql(ids.map(backupSingletonKey))}`,
        ),
      );
      console.log(
        "DEBUG polls",
        JSON.stringify(
          await h.sql`select state, count(*) from ${jobs} where name = ${pollUploadStatusesJob.queue.name} group by 1`,
        ),
      );
      throw e;
    });
    const attempts = await h.db.select().from(backupAttempts).where(inArray(backupAttempts.claimId, ids));
    for (const id of ids) {
      const mine = attempts.filter((a) => a.claimId === id);
      expect(mine.filter((a) => ["submitted", "success", "vbms"].includes(a.status))).toHaveLength(1);
      expect(mine.filter((a) => a.status === "pending")).toHaveLength(0);
    }
    const uploads = await acceptedUploadsByFileNumber(h);
    for (const g of groups) expect(uploads.get(g.veteran.fileNumber)).toBe(1);
    const [submission] = await h.db.select().from(backupSubmissions).where(eq(backupSubmissions.claimId, ids[0]));
    expect(["submitted", "success", "vbms"]).toContain(submission.latestStatus);
  }, 240_000);
});
