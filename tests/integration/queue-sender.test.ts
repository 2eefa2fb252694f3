import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startTcpGate } from "../support/fault-tools";

// The web app's queue sender (getBoss) when PostgreSQL cannot be reached as the first job is sent:
// the failure is logged and not kept, so once PostgreSQL is back the next send starts the sender
// and goes through. (A failed start used to be kept for the life of the process: every later
// resubmit failed until the app was restarted, and the error itself was swallowed.)

const target = new URL(process.env.DATABASE_URL!);
const direct = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
const gate = await startTcpGate(Number(target.port || 5432));
const throughGate = new URL(target);
throughGate.port = String(gate.port());
// Read once by lib/env.ts, on the sender's first start: this test file's modules are its own.
process.env.DATABASE_URL = throughGate.toString();
const { getBoss, QUEUE_SCHEMA, senderFor } = await import("@/lib/jobs/boss");
const { errorFields, log } = await import("@/lib/log");

const queue = `sender-test-${randomUUID().slice(0, 8)}`;
const jobs = direct(`${QUEUE_SCHEMA}.job`);
afterAll(async () => {
  process.env.DATABASE_URL = target.toString();
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await direct`delete from ${jobs} where name = ${queue}`.catch(() => {});
  await direct`delete from ${direct(`${QUEUE_SCHEMA}.queue`)} where name = ${queue}`.catch(() => {});
  await gate.shut();
  await direct.end({ timeout: 1 });
});

describe("the queue sender", () => {
  it("does not keep a failed start: the next send after PostgreSQL is back goes through", async () => {
    const logged = vi.spyOn(log, "error");
    await gate.shut();
    await expect(getBoss()).rejects.toThrow();
    await expect(senderFor({ name: queue })).rejects.toThrow(); // tried again, and failed again
    // Logged as the error, which lib/log.ts writes as its name and code (never its message).
    const queueErrors = logged.mock.calls.filter(([, msg]) => msg === "queue error");
    expect(queueErrors.length).toBeGreaterThan(0);
    const written = errorFields((queueErrors[0][0] as { err: unknown }).err);
    expect(JSON.stringify(written)).toMatch(/ECONNREFUSED|ECONNRESET|CONNECT_TIMEOUT|CONNECTION_/);

    await gate.open();
    const boss = await senderFor({ name: queue });
    const id = await boss.send(queue, { hello: "again" });
    expect(id).toBeTruthy();
    const [job] = await direct<{ name: string }[]>`select name from ${jobs} where id = ${id!}`;
    expect(job?.name).toBe(queue);
    expect(await getBoss()).toBe(boss); // a start that worked is kept
  });
});
