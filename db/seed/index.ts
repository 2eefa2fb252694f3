import type { Sql } from "postgres";
import { copyLine, copyLines } from "../copy-rows";
import { OVERVIEW_VIEWS } from "../queries/overview";
import { type FailedClaim, HISTORICAL_BATCHES, type HistoryIds, type HistoryRows } from "./history";

// The demo seed's own writes (the claims come in through the ingest: lib/demo-seed.ts): the
// historical console batches, their attempts, items and e-mails by COPY, and the figures the
// overview starts from.

const HISTORY_COLUMNS: Record<Exclude<keyof HistoryRows, "claims">, [string, string[]]> = {
  backupSubmissions: [
    "backup_submissions",
    ["id", "claim_id", "form_type", "latest_status", "in_flight_since", "created_at", "updated_at"],
  ],
  backupAttempts: [
    "backup_attempts",
    [
      "id",
      "submission_id",
      "claim_id",
      "attempt_number",
      "retry_number",
      "status",
      "benefits_intake_uuid",
      "error_class",
      "error_code",
      "error_message",
      "http_status",
      "transient",
      "trigger",
      "batch_id",
      "started_at",
      "submitted_at",
      "finished_at",
      "end_state_at",
    ],
  ],
  batchItems: ["batch_items", ["id", "batch_id", "claim_id", "state", "note", "attempt_id", "updated_at"]],
  notifications: [
    "notifications",
    [
      "id",
      "claim_id",
      "attempt_id",
      "template",
      "recipient",
      "personalisation",
      "status",
      "provider_id",
      "tries",
      "created_at",
      "sent_at",
    ],
  ],
};

export async function isSeeded(sql: Sql) {
  const [row] = await sql`select value from app_meta where key = 'seeded_at'`;
  return Boolean(row);
}

export async function insertHistoricalBatches(sql: Sql, now: Date) {
  const [admin] = await sql`select id from users where email = 'admin@example.com'`;
  for (const b of HISTORICAL_BATCHES) {
    const at = new Date(now.getTime() - b.daysAgo * 86_400_000);
    await sql`insert into batches (id, name, source, reason, state, rate_per_minute, item_count, created_by_user_id, created_at, started_at, finished_at, historical)
      values (${b.id}, ${b.name}, 'import', 'Master retry list reviewed by VA; re-enqueued from the console', 'completed', 600, 0, ${admin.id}, ${at.toISOString()}, ${at.toISOString()}, ${new Date(at.getTime() + 10 * 3600_000).toISOString()}, 1)`;
  }
}

// The next free id of each history table (the seed is their only writer while it runs).
export async function historyIdsFrom(sql: Sql): Promise<HistoryIds> {
  const [row] = await sql<{ submission: number; attempt: number; batchItem: number; notification: number }[]>`
    select (select coalesce(max(id), 0) from backup_submissions)::int as submission,
      (select coalesce(max(id), 0) from backup_attempts)::int as attempt,
      (select coalesce(max(id), 0) from batch_items)::int as "batchItem",
      (select coalesce(max(id), 0) from notifications)::int as notification`;
  return { ...row };
}

// Of the claims just imported, the main claims on the triage list (failed at the source, not a
// duplicate), with what their history needs. The ingest sets every claim's main_claim_id (its own id
// for a main claim), so these queries use it as the ingest's own do (db/queries/ingest-groups.ts).
export async function failedMainClaims(sql: Sql, claimIds: readonly number[]): Promise<FailedClaim[]> {
  if (claimIds.length === 0) return [];
  const rows = await sql<
    {
      id: string;
      form_type: string;
      first_name: string;
      email: string | null;
      submitted_at: Date | string;
      file_number: string;
      group_size: number;
    }[]
  >`
    select c.id, c.form_type, c.veteran_first_name as first_name, c.email, c.submitted_at, c.file_number,
      (select count(*) from saved_claims k where k.main_claim_id = c.id)::int as group_size
    from saved_claims c
    where c.id = any(${sql.array(claimIds as number[])}::bigint[])
      and c.triage_state = 'never_tried' and c.waiting_for is null
      and c.main_claim_id = c.id
    order by c.id`;
  return rows.map((r) => ({
    id: Number(r.id),
    formType: r.form_type,
    firstName: r.first_name,
    email: r.email,
    submittedAt: new Date(r.submitted_at),
    fileNumber: r.file_number,
    groupSize: r.group_size,
  }));
}

export async function writeHistory(sql: Sql, rows: HistoryRows) {
  for (const key of ["backupSubmissions", "backupAttempts", "batchItems", "notifications"] as const) {
    const [table, columns] = HISTORY_COLUMNS[key];
    await copyLines(sql, table, columns.join(", "), rows[key].map(copyLine));
  }
  if (rows.claims.length === 0) return;
  const col = <T>(i: number) => rows.claims.map((c) => c[i] as T);
  // The whole group takes its main claim's outcome, as the backup flow's own writes do.
  await sql`
    with h as (
      select * from unnest(${sql.array(col<number>(0))}::bigint[], ${sql.array(col<string>(1))}::text[],
        ${sql.array(col<number>(2))}::int[], ${sql.array(col<string>(3))}::text[],
        ${sql.array(col<number>(4))}::bigint[], ${sql.array(col<boolean>(5))}::boolean[])
        as h(main, state, attempts, status, batch, told)
    ), claims as (
      update saved_claims c set triage_state = h.state::triage_state, attempt_count = h.attempts,
        latest_attempt_status = h.status, latest_batch_id = h.batch,
        failure_notified = c.failure_notified or h.told,
        black_hole = c.black_hole and h.state <> 'confirmed' and not h.told
      from h where c.main_claim_id = h.main
      returning c.group_id, h.state
    )
    update claim_groups g set status = 'processing'
    where g.id in (select group_id from claims where state = 'confirmed')`;
}

export async function finishSeed(sql: Sql, departures: Map<string, number>, now: Date, claims: number) {
  for (const table of ["backup_submissions", "backup_attempts", "batches", "batch_items", "notifications"]) {
    await sql.unsafe(
      `select setval(pg_get_serial_sequence('${table}', 'id'), greatest((select max(id) from ${table}), 1))`,
    );
  }
  await sql`update batches b set item_count = (select count(*) from batch_items i where i.batch_id = b.id)`;
  // The burn-down's history: walk back from today's outstanding count, adding back each day's departures.
  const [{ outstanding }] =
    await sql`select count(*)::int as outstanding from saved_claims where triage_state in ('never_tried', 'failed')`;
  let count = outstanding as number;
  const today = now.toISOString().slice(0, 10);
  for (let d = 0; d <= 60; d++) {
    const day = new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);
    if (day !== today)
      await sql`insert into outstanding_daily (day, outstanding) values (${day}, ${count}) on conflict (day) do nothing`;
    count += departures.get(day) ?? 0;
  }
  // Vacuum sets the visibility map, so list pages can be answered from the covering index alone.
  await sql`vacuum analyze`;
  await sql.unsafe(OVERVIEW_VIEWS.map((v) => `refresh materialized view ${v};`).join("\n"));
  await sql`insert into app_meta (key, value) values ('overview_refreshed_at', ${new Date().toISOString()}) on conflict (key) do update set value = excluded.value`;
  await sql`insert into app_meta (key, value) values ('seeded_at', ${now.toISOString()}), ('seed_claims', ${String(claims)})`;
}
