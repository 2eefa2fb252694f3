import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// A batch's backups a minute, by when they started: how many were uploaded (whatever Benefits Intake
// made of them later) and how many failed, over the last `minutes` minutes it was active.

export type ThroughputMinute = { minute: string; uploaded: number; failed: number; other: number };

export async function getBatchThroughput(db: DbOrTx, batchId: number, minutes = 60): Promise<ThroughputMinute[]> {
  const rows = await db.execute<{ minute: string; uploaded: number; failed: number; other: number }>(sql`
    select to_char(date_trunc('minute', started_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as minute,
      count(*) filter (where status in ('submitted', 'success', 'vbms', 'error', 'expired'))::int as uploaded,
      count(*) filter (where status = 'failure')::int as failed,
      count(*) filter (where status = 'pending')::int as other
    from backup_attempts where batch_id = ${batchId}
    group by 1 order by 1 desc limit ${minutes}`);
  return rows
    .map((r) => ({ minute: r.minute, uploaded: Number(r.uploaded), failed: Number(r.failed), other: Number(r.other) }))
    .reverse();
}
