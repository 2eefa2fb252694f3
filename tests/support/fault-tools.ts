import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { expect } from "vitest";
import type { WorkerConfig } from "@/lib/jobs/worker";
import { seededRandom } from "@/lib/seeded-random";
import type { BackupHarness } from "./backup-harness";
import { waitFor } from "./backup-harness";

// Tools for the fault tests: workers in their own processes (to SIGKILL), a gate in front of
// Benefits Intake (to refuse connections without the service forgetting its uploads), a seeded
// random (so a failing run can be replayed), and the one check every fault test ends with.

export { seededRandom };

export type ChildWorker = { child: ChildProcess; ready: Promise<void>; kill: () => Promise<void> };

/** A worker process of its own: node with tsx's loader, so SIGKILL reaches the worker, not a wrapper. */
export function spawnChildWorker(config: WorkerConfig): ChildWorker {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/child-worker.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? "silent",
      CHILD_WORKER_CONFIG: JSON.stringify(config),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("ready\n")) resolve();
    });
    void exited.then(() => reject(new Error("child worker exited before it was ready")));
  });
  ready.catch(() => {});
  return {
    child,
    ready,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * A TCP gate in front of a port: open, it passes connections through; shut, nothing listens on its
 * port (connection refused) and the connections it carried are cut. Closing the local service
 * itself would do the same, but would also forget its uploads, which the tests count.
 */
export async function startTcpGate(targetPort: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const open = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, "127.0.0.1");
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(port, "127.0.0.1", () => resolve());
    });
    port = (server!.address() as net.AddressInfo).port;
  };
  const shut = async () => {
    const closing = server;
    server = null;
    for (const s of sockets) s.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await open();
  return { port: () => port, open, shut };
}

type Claim = { mainClaimId: number; veteran: { fileNumber: string } };

/** Uploads that reached Benefits Intake, per veteran file number (one veteran per test claim). */
export async function acceptedUploadsByFileNumber(h: BackupHarness) {
  const counts = new Map<string, number>();
  for (const u of await h.admin.uploads()) {
    if (u.acceptedPutCount === 0) continue;
    const fileNumber = String(u.metadata?.fileNumber);
    counts.set(fileNumber, (counts.get(fileNumber) ?? 0) + u.acceptedPutCount);
  }
  return counts;
}

export async function waitUntilSettled(h: BackupHarness, claims: Claim[], timeoutMs: number) {
  const ids = claims.map((c) => c.mainClaimId);
  await waitFor(
    `${ids.length} claims to settle`,
    async () => {
      const [{ open }] = await h.sql<{ open: number }[]>`
      select count(*)::int as open from backup_submissions where claim_id in ${h.sql(ids)} and in_flight_since is not null`;
      const [{ known }] = await h.sql<
        { known: number }[]
      >`select count(*)::int as known from backup_submissions where claim_id in ${h.sql(ids)}`;
      return known === ids.length && open === 0;
    },
    timeoutMs,
  );
}

/**
 * The end every fault must allow: each claim uploaded exactly once (one upload attempt on record,
 * one PUT accepted by Benefits Intake) or failed with the veteran's failure e-mail queued, and
 * nothing left in flight. Returns the claims on each side for the test's own checks.
 */
export async function expectEachClaimEndedOnce(h: BackupHarness, claims: Claim[]) {
  const ids = claims.map((c) => c.mainClaimId);
  const attempts = await h.sql<
    { claim_id: string; status: string }[]
  >`select claim_id, status from backup_attempts where claim_id in ${h.sql(ids)}`;
  const inFlight = await h.sql<
    { claim_id: string }[]
  >`select claim_id from backup_submissions where claim_id in ${h.sql(ids)} and in_flight_since is not null`;
  const failureEmails = new Set(
    (
      await h.sql<
        { claim_id: string }[]
      >`select claim_id from notifications where template = 'backup_failed' and claim_id in ${h.sql(ids)}`
    ).map((r) => Number(r.claim_id)),
  );
  const accepted = await acceptedUploadsByFileNumber(h);
  const uploaded: Claim[] = [];
  const failed: Claim[] = [];
  const wrong: string[] = [];
  for (const c of claims) {
    const mine = attempts.filter((a) => Number(a.claim_id) === c.mainClaimId);
    const uploads = mine.filter((a) => ["submitted", "success", "vbms"].includes(a.status)).length;
    const puts = accepted.get(c.veteran.fileNumber) ?? 0;
    const pending = mine.filter((a) => a.status === "pending").length;
    if (uploads === 1 && puts === 1 && pending === 0) uploaded.push(c);
    else if (uploads === 0 && puts === 0 && pending === 0 && failureEmails.has(c.mainClaimId)) failed.push(c);
    else
      wrong.push(
        `claim ${c.mainClaimId}: ${uploads} upload attempts, ${puts} accepted PUTs, ${pending} pending, failure e-mail ${failureEmails.has(c.mainClaimId)}`,
      );
  }
  expect(wrong).toEqual([]);
  expect(inFlight).toEqual([]);
  return { uploaded, failed };
}

/** Where the claims stand, to print when a wait times out, so a failure can be read without a re-run. */
export async function describeClaims(h: BackupHarness, ids: number[]) {
  const attempts =
    await h.sql`select status, transient, error_class, count(*)::int as n from backup_attempts where claim_id in ${h.sql(ids)} group by 1, 2, 3 order by 4 desc`;
  const inFlight =
    await h.sql`select count(*)::int as n from backup_submissions where claim_id in ${h.sql(ids)} and in_flight_since is not null`;
  const jobs =
    await h.sql`select name, state, count(*)::int as n, max(retry_count) as max_retries from pgboss.job group by 1, 2 order by 1, 2`;
  const batches =
    await h.sql`select b.id, b.state, i.state as item_state, count(*)::int as n from batches b join batch_items i on i.batch_id = b.id where i.claim_id in ${h.sql(ids)} group by 1, 2, 3`;
  return JSON.stringify({ attempts, inFlight, jobs, batches }, null, 1);
}
