import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// A failure group's figures, computed from the claims that share its fingerprint, with what the
// team decided about it (failure_groups) joined on. Groups are addressed in URLs by the md5 of the
// fingerprint: the fingerprint itself is long and full of <n> and <uuid> placeholders.

export const TREND_DAYS = 30;

// A backup attempt that counts as a failure of its claim's group: a permanent failure (retries are
// not new failures) or an upload Benefits Intake ended in error or expired.
export const failedAttemptSql = () =>
  sql.raw(`(a.status in ('error', 'expired') or (a.status = 'failure' and a.transient is not true))`);
// A new fragment per use: drizzle can change an embedded SQL object in place.
const attemptFailedAt = () => sql.raw("coalesce(a.end_state_at, a.finished_at)");

// New failures of a group since a time: claims with its fingerprint that arrived after it, and backup
// failures of its claims after it. The reopen rule and the "group grew" alert both count these.
export function groupFailuresSinceSql(fingerprint: SQL, since: SQL): SQL {
  return sql`(
    (select count(*) from saved_claims c where c.failure_reason = ${fingerprint} and c.created_at > ${since})
    + (select count(*) from backup_attempts a join saved_claims c on c.id = a.claim_id
       where c.failure_reason = ${fingerprint} and ${failedAttemptSql()} and ${attemptFailedAt()} > ${since}
         and a.started_at > ${since} - interval '30 days')
  )::int`;
}

export type FailureGroupRow = {
  fingerprint: string;
  key: string;
  claims: number;
  // Never tried or failed: what a resubmit of the group would pick up (the dry run says exactly).
  openClaims: number;
  firstSeen: Date | null;
  lastSeen: Date | null;
  // Failures a day over the last TREND_DAYS days, oldest first (primary failures and backup failures).
  trend: number[];
  status: string;
  ownerUserId: number | null;
  ownerName: string | null;
  notes: string | null;
  ticketUrl: string | null;
  ignoreUntilAt: Date | null;
  ignoreUntilCount: number | null;
  statusChangedAt: Date | null;
  reopenedAt: Date | null;
  reopenedReason: string | null;
};

type RawRow = Omit<
  FailureGroupRow,
  "trend" | "firstSeen" | "lastSeen" | "statusChangedAt" | "reopenedAt" | "ignoreUntilAt"
> & {
  trend: { ago: number; n: number }[] | null;
  firstSeen: string | null;
  lastSeen: string | null;
  statusChangedAt: string | null;
  reopenedAt: string | null;
  ignoreUntilAt: string | null;
};

const toDate = (v: string | Date | null) => (v === null ? null : new Date(v));

function shape(row: RawRow): FailureGroupRow {
  const trend = new Array<number>(TREND_DAYS).fill(0);
  for (const t of row.trend ?? []) if (t.ago >= 0 && t.ago < TREND_DAYS) trend[TREND_DAYS - 1 - t.ago] += Number(t.n);
  return {
    ...row,
    claims: Number(row.claims),
    openClaims: Number(row.openClaims),
    trend,
    firstSeen: toDate(row.firstSeen),
    lastSeen: toDate(row.lastSeen),
    statusChangedAt: toDate(row.statusChangedAt),
    reopenedAt: toDate(row.reopenedAt),
    ignoreUntilAt: toDate(row.ignoreUntilAt),
  };
}

// Every group, or the one whose key is given. One pass over the claims with a fingerprint and one
// over the last TREND_DAYS days of backup failures.
async function loadGroups(db: DbOrTx, key?: string): Promise<FailureGroupRow[]> {
  const onlyKey = key === undefined ? sql`true` : sql`md5(c.failure_reason) = ${key}`;
  const rows = await db.execute<RawRow>(sql`
    with claims as (
      select c.id, c.failure_reason as fingerprint, c.triage_state, coalesce(p.failed_at, c.created_at) as failed_at
      from saved_claims c left join primary_submissions p on p.claim_id = c.id
      where c.failure_reason is not null and ${onlyKey}
    ),
    events as (
      select fingerprint, failed_at as at from claims where failed_at >= now() - make_interval(days => ${TREND_DAYS})
      union all
      select cl.fingerprint, ${attemptFailedAt()} as at
      from backup_attempts a join claims cl on cl.id = a.claim_id
      where ${failedAttemptSql()} and a.started_at >= now() - make_interval(days => ${TREND_DAYS + 1})
    ),
    trend as (
      select fingerprint, json_agg(json_build_object('ago', ago, 'n', n)) as trend, max(last_at) as last_event
      from (
        select fingerprint, (current_date - at::date) as ago, count(*)::int as n, max(at) as last_at
        from events where at is not null group by 1, 2
      ) d group by 1
    ),
    stats as (
      select fingerprint, count(*)::int as claims,
        count(*) filter (where triage_state in ('never_tried', 'failed'))::int as open_claims,
        min(failed_at) as first_seen, max(failed_at) as last_failed
      from claims group by 1
    )
    select s.fingerprint, md5(s.fingerprint) as key, s.claims, s.open_claims as "openClaims",
      s.first_seen as "firstSeen", greatest(s.last_failed, t.last_event) as "lastSeen", t.trend,
      coalesce(g.status, 'open') as status, g.owner_user_id as "ownerUserId", u.name as "ownerName",
      g.notes, g.ticket_url as "ticketUrl", g.ignore_until_at as "ignoreUntilAt",
      g.ignore_until_count as "ignoreUntilCount", g.status_changed_at as "statusChangedAt",
      g.reopened_at as "reopenedAt", g.reopened_reason as "reopenedReason"
    from stats s
    left join trend t on t.fingerprint = s.fingerprint
    left join failure_groups g on g.fingerprint = s.fingerprint
    left join users u on u.id = g.owner_user_id
    order by s.claims desc, s.fingerprint`);
  return rows.map(shape);
}

export const getFailureGroups = (db: DbOrTx) => loadGroups(db);

export async function getFailureGroup(db: DbOrTx, key: string): Promise<FailureGroupRow | null> {
  if (!/^[0-9a-f]{32}$/.test(key)) return null;
  const [row] = await loadGroups(db, key);
  return row ?? null;
}

export type FailureGroupDecision = {
  status: string;
  ownerUserId: number | null;
  notes: string | null;
  ticketUrl: string | null;
  ignoreUntilAt: Date | null;
  ignoreUntilCount: number | null;
};

// A person's change to a group: the row is created on first use, and a person's change clears the
// worker's "reopened" note. status_changed_at moves only when the status does.
export async function saveFailureGroupDecision(db: DbOrTx, fingerprint: string, d: FailureGroupDecision) {
  await db.execute(sql`
    insert into failure_groups as g (fingerprint, status, owner_user_id, notes, ticket_url, ignore_until_at, ignore_until_count)
    values (${fingerprint}, ${d.status}, ${d.ownerUserId}, ${d.notes}, ${d.ticketUrl}, ${d.ignoreUntilAt?.toISOString() ?? null}, ${d.ignoreUntilCount})
    on conflict (fingerprint) do update set
      status = excluded.status, owner_user_id = excluded.owner_user_id, notes = excluded.notes,
      ticket_url = excluded.ticket_url, ignore_until_at = excluded.ignore_until_at,
      ignore_until_count = excluded.ignore_until_count,
      status_changed_at = case when g.status = excluded.status then g.status_changed_at else now() end,
      reopened_at = case when g.status = excluded.status then g.reopened_at else null end,
      reopened_reason = case when g.status = excluded.status then g.reopened_reason else null end,
      updated_at = now()`);
}

export type GroupOwnerOption = { id: number; name: string };

// Who can own a group: people who may act on claims (triagers and admins) with an enabled account.
export async function getGroupOwnerOptions(db: DbOrTx): Promise<GroupOwnerOption[]> {
  const rows = await db.execute<GroupOwnerOption>(sql`
    select id, name from users where role in ('triager', 'admin') and disabled_at is null order by name, id`);
  return rows.map((r) => ({ id: Number(r.id), name: r.name }));
}

export type GroupHistoryEntry = {
  id: number;
  at: Date;
  userEmail: string;
  action: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  batchId: number | null;
};

// What was done to the group, newest first: the audit rows that name its fingerprint, and the
// batches that resubmitted the list filtered to it (the group's "Resubmit" is such a batch).
export async function getGroupHistory(db: DbOrTx, fingerprint: string, limit = 20): Promise<GroupHistoryEntry[]> {
  const rows = await db.execute<Omit<GroupHistoryEntry, "at"> & { at: string }>(sql`
    select id, at, user_email as "userEmail", action, reason, details, batch_id as "batchId" from audit_events
    where (action like 'group.%' and details->>'fingerprint' = ${fingerprint})
       or (action in ('batch.create', 'batch.create_and_start') and details->'filter'->>'failureReason' = ${fingerprint})
    order by at desc, id desc limit ${limit}`);
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    at: new Date(r.at),
    batchId: r.batchId === null ? null : Number(r.batchId),
  }));
}
