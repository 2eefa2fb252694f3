import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql as dsql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { type ClaimsFilter, claimsWhere } from "@/db/queries/claims-list";
import { createBatch } from "@/lib/batches/create-batch";

export type BenchRow = { name: string; value: string; target?: string };

// A throwaway PostgreSQL for a benchmark run (or the one DATABASE_URL names), migrated.
export async function startBenchDatabase() {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "claim-triage-bench-"));
  chmodSync(scratch, 0o755);
  let url = process.env.DATABASE_URL;
  let stopDb = async () => {};
  if (!url) {
    const db = await startEmbeddedDatabase({ dataDir: path.join(scratch, "pg"), persistent: false });
    url = db.url;
    stopDb = db.stop;
  }
  await migrateDatabase(url);
  return {
    url,
    scratch,
    async stop() {
      await stopDb().catch(() => {});
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function timeRuns(runs: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1] };
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

export function printTable(title: string, rows: BenchRow[]) {
  const w = Math.max(...rows.map((r) => r.name.length), 10);
  const v = Math.max(...rows.map((r) => r.value.length), 8);
  console.log(`\n${title}\n${"-".repeat(w + v + 20)}`);
  for (const r of rows)
    console.log(`${r.name.padEnd(w)}  ${r.value.padStart(v)}  ${r.target ? `(target ${r.target})` : ""}`);
}

// With BENCH_PG_STATS=1 the throwaway server loads pg_stat_statements: these show what the
// database spent its time on during a run.
export async function resetStatements(url: string) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql`create extension if not exists pg_stat_statements`;
  await sql`select pg_stat_statements_reset()`;
  await sql.end();
}

export async function printTopStatements(url: string, limit = 25) {
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1 });
  const rows =
    await sql`select calls, round(total_exec_time)::int as total_ms, round(mean_exec_time::numeric, 3) as mean_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) as query
    from pg_stat_statements order by total_exec_time desc limit ${limit}`;
  const [total] =
    await sql`select sum(calls)::bigint as calls, round(sum(total_exec_time))::bigint as ms from pg_stat_statements`;
  console.log(`\nAll statements: ${total.calls} calls, ${total.ms} ms. Top statements by total time:`);
  for (const r of rows)
    console.log(
      `${String(r.total_ms).padStart(7)} ms ${String(r.calls).padStart(7)} calls ${String(r.mean_ms).padStart(8)} ms  ${r.query}`,
    );
  await sql.end();
}

// A started batch of "all matching" a filter, as an admin creates it from the claims list.
export async function createFilterBatch(db: Db, input: { name: string; filter: ClaimsFilter; ratePerMinute: number }) {
  const [admin] = Array.from(
    await db.execute<{ id: number; email: string }>(dsql`select id, email from users where role = 'admin' limit 1`),
  );
  return createBatch(
    db,
    {
      name: input.name,
      reason: "benchmark",
      source: "filter",
      filter: input.filter,
      user: { id: Number(admin.id), email: admin.email },
      ratePerMinute: input.ratePerMinute,
      start: true,
    },
    { where: claimsWhere(input.filter, { piiSearch: true }) },
  );
}
