import { sql as dsql, type SQL } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { DbOrTx } from "@/db/client";
import { getEnv } from "../env";
import { log } from "../log";

// pg-boss keeps the queue in the same PostgreSQL, so any number of workers coordinate through row
// locks and a job can be enqueued in the same transaction as the state change that asks for it.
// This is the plumbing every job module shares: the queue's schema, a process's sender, and the
// bridge that runs pg-boss's statements inside a drizzle transaction. The jobs themselves, each
// with its queue name and options, are the modules listed in registry.ts.

export const QUEUE_SCHEMA = "pgboss";

export function createBoss(connectionString: string, options: { max?: number } = {}) {
  return new PgBoss({ connectionString, schema: QUEUE_SCHEMA, max: options.max ?? 4, supervise: true, schedule: true });
}

// The error's name and SQLSTATE only (lib/log.ts): a driver error's message can quote a row's values.
export function logQueueError(e: unknown) {
  log.error({ err: e }, "queue error");
}

const globalForBoss = globalThis as unknown as { claimTriageBoss?: Promise<PgBoss> };

// One sender per process, started on first use, so the web app enqueues without running a worker;
// the worker hands its own instance over with setBoss. A start that failed (PostgreSQL down or
// unreachable when the first job was sent) is not kept: the next caller starts a new instance, as
// pg-boss will not start the same one twice.
export function getBoss(): Promise<PgBoss> {
  if (!globalForBoss.claimTriageBoss) {
    const starting = startSender();
    globalForBoss.claimTriageBoss = starting;
    starting.catch(() => {
      if (globalForBoss.claimTriageBoss === starting) globalForBoss.claimTriageBoss = undefined;
    });
  }
  return globalForBoss.claimTriageBoss;
}

async function startSender() {
  const boss = createBoss(getEnv().DATABASE_URL!, { max: 2 });
  boss.on("error", logQueueError);
  try {
    await boss.start();
  } catch (e) {
    logQueueError(e);
    await boss.stop({ graceful: false, wait: true }).catch(() => {}); // its pool, if it opened one
    throw e;
  }
  return boss;
}

export function setBoss(boss: PgBoss) {
  globalForBoss.claimTriageBoss = Promise.resolve(boss);
}

// pg-boss 10 drops a job sent to a queue that does not exist without a word, so a sender makes
// sure of each queue (once per instance) before its first job.
const createdQueues = new WeakMap<PgBoss, Map<string, Promise<void>>>();

export async function senderFor(queue: PgBoss.Queue & { name: string }): Promise<PgBoss> {
  const boss = await getBoss();
  const queues = createdQueues.get(boss) ?? new Map<string, Promise<void>>();
  createdQueues.set(boss, queues);
  let created = queues.get(queue.name);
  if (!created) {
    const creating = boss.createQueue(queue.name, queue);
    queues.set(queue.name, creating);
    creating.catch(() => queues.delete(queue.name));
    created = creating;
  }
  await created;
  return boss;
}

// A time, not a number of seconds: pg-boss binds a number where PostgreSQL expects a timestamp,
// which node-postgres tolerates and postgres.js (our transactions) does not.
export function later(seconds: number) {
  return seconds > 0 ? new Date(Date.now() + seconds * 1000) : undefined;
}

// pg-boss speaks `$1`-style SQL with node-postgres value conventions (undefined is null, objects
// are JSON); this runs it inside a drizzle transaction.
function asParameter(value: unknown) {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

function toDrizzleSql(text: string, values: unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks = parts.map((part, i) =>
    i % 2 === 0 ? dsql.raw(part) : dsql`${asParameter(values[Number(part) - 1])}`,
  );
  return dsql.join(chunks);
}

export function inTransaction(tx: DbOrTx): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      const rows = await tx.execute(toDrizzleSql(text, values));
      return { rows: Array.from(rows as unknown as Iterable<unknown>) };
    },
  } as PgBoss.Db;
}
