import net from "node:net";
import postgres from "postgres";
import { afterAll, afterEach, describe, expect, it } from "vitest";

// The driver patches of db/patch-postgres-driver.mjs, each reproduced on purpose: a TCP proxy in
// front of the test PostgreSQL cuts a connection at the moment a restart can cut it. Without the
// patch, each case ends in an unhandled rejection or a crash — in the worker, the end of it.

const target = new URL(process.env.DATABASE_URL!);

/** A proxy that resets (RST) a connection the first time the client sends text containing `trigger`. */
async function startCuttingProxy(trigger: string) {
  let armed = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    upstream.on("data", (chunk) => client.write(chunk));
    client.on("data", (chunk) => {
      if (armed && chunk.includes(trigger)) {
        armed = false;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on("error", () => b.destroy());
      a.on("close", () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    get cut() {
      return !armed;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on("unhandledRejection", onUnhandled);
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});
afterEach(() => {
  unhandled.length = 0;
});

describe("postgres.js when a connection is cut", () => {
  it("a connection reset while it reads the array types rejects the query, and the next query reconnects", async () => {
    const proxy = await startCuttingProxy("pg_catalog.pg_type");
    const sql = postgres(proxy.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      // The first query either fails with a connection error or succeeds on a reconnect: both are
      // fine. What must not happen is a rejection nobody can catch.
      const first = await sql`select 1 as one`.then(
        () => "ok",
        (e: NodeJS.ErrnoException) => e.code ?? e.message,
      );
      expect(proxy.cut).toBe(true);
      expect(["ok", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_DESTROYED"]).toContain(first);
      const [{ two }] = await sql`select 2 as two`;
      expect(two).toBe(2);
      // Array parameters still work: the types were read on the connection that replaced it.
      const [{ n }] = await sql`select cardinality(${sql.array([1, 2, 3])}::int[]) as n`;
      expect(n).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      await sql.end({ timeout: 1 });
      await proxy.close();
    }
  });

  it("a connection reset in the middle of a transaction rejects the transaction without crashing", async () => {
    const proxy = await startCuttingProxy("cut here");
    const sql = postgres(proxy.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      await sql`select 1`;
      const outcome = await sql
        .begin(async (tx) => {
          await tx`select 1`;
          await tx`select 'cut here'`;
        })
        .then(
          () => "committed",
          (e: NodeJS.ErrnoException) => e.code ?? e.message,
        );
      expect(proxy.cut).toBe(true);
      expect(outcome).not.toBe("committed");
      const [{ three }] = await sql`select 3 as three`;
      expect(three).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      await sql.end({ timeout: 1 });
      await proxy.close();
    }
  });
});
