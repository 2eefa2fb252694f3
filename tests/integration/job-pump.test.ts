import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createBoss, QUEUE_SCHEMA } from "@/lib/jobs/boss";
import { startJobPump } from "@/lib/jobs/job-pump";
import { waitFor } from "../support/backup-harness";
import { startTcpGate } from "../support/fault-tools";

// The job pump when PostgreSQL goes away just as a job ends (a restart, a failover): the job's
// "completed" or "failed" must still reach the queue once it is back. Dropped, the job stayed
// active for its whole expiry — for a batch's dispatcher, five minutes of a stalled batch.

const target = new URL(process.env.DATABASE_URL!);
const direct = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
const jobs = direct(`${QUEUE_SCHEMA}.job`);
afterAll(async () => direct.end({ timeout: 1 }));

const jobState = async (id: string) =>
  (await direct<{ state: string }[]>`select state from ${jobs} where id = ${id}`)[0]?.state;

describe("job pump while PostgreSQL is unreachable", () => {
  it("marks a job complete, or hands a failed one back, once PostgreSQL is back", async () => {
    const gate = await startTcpGate(Number(target.port || 5432));
    const url = new URL(target);
    url.port = String(gate.port());
    const boss = createBoss(url.toString(), { max: 2 });
    const errors: string[] = [];
    boss.on("error", (e) => errors.push(e.message));
    await boss.start();
    const queue = `pump-test-${randomUUID().slice(0, 8)}`;
    await boss.createQueue(queue, { name: queue, retryLimit: 3, retryDelay: 1, expireInSeconds: 600 });
    const succeeds = (await boss.send(queue, { fail: false }))!;
    const fails = (await boss.send(queue, { fail: true }))!;

    let outage: Promise<void> | null = null;
    const pump = startJobPump(boss, queue, {
      concurrency: 2,
      idlePollMs: 100,
      handle: async (job) => {
        // The connection goes as the handler ends: for three seconds nothing reaches PostgreSQL.
        outage ??= gate
          .shut()
          .then(() => sleep(3_000))
          .then(() => gate.open());
        await outage;
        if ((job.data as { fail: boolean }).fail) throw new Error("the claim's transaction was cut off");
      },
    });
    try {
      await waitFor("the outage to begin", async () => outage !== null, 10_000);
      // Both jobs ended while PostgreSQL was unreachable. The one that succeeded is complete; the
      // one that failed was handed back and retried to its limit — neither is stuck active.
      await waitFor(
        "both jobs to reach their end",
        async () => (await jobState(succeeds)) === "completed" && (await jobState(fails)) === "failed",
        30_000,
      );
      const [{ retry_count }] = await direct<
        { retry_count: number }[]
      >`select retry_count from ${jobs} where id = ${fails}`;
      expect(retry_count).toBe(3);
    } finally {
      await pump.stop(5_000);
      await boss.stop({ graceful: false, wait: true }).catch(() => {});
      await gate.shut();
      await direct`delete from ${jobs} where name = ${queue}`;
      await direct`delete from ${direct(`${QUEUE_SCHEMA}.queue`)} where name = ${queue}`.catch(() => {});
    }
  });
});
