import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { outstandingSql, silentFailureSql } from "../outstanding";
import { outstandingDaily, savedClaims } from "../schema";
import type { AttemptStatus, FormType, TriageState } from "../schema/enums";

// The leadership overview (docs/design.md §6): every figure aggregated in PostgreSQL, one pure function
// per query so the benchmark can time each one.
//
// Two kinds, by cost at 1,000,000 claims:
// - live: index-only counts whose cost follows the outstanding work (the black hole, the failures,
//   the silent failures), not the size of the table: run on every request;
// - heavy: figures over every claim or every attempt (a scan of ~1 M rows), kept in materialized
//   views (migration 0001) that refreshOverviewViews brings up to date from the status poll job;
//   the page reads those views and says when they were refreshed.

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

export type LiveKpis = {
  outstandingBlackHole: number; // black hole and still never tried or failed
  outstanding: number; // never tried or failed: the burn-down's figure for today
  failed: number; // needs a person
  silentFailures: number; // never tried or failed, veteran never told, nothing working on it
};

// Each count follows an index: (black_hole, triage_state), and the partial silent-failure index
// (only claims not notified and never tried or failed), so all four are index-only scans.
export async function getLiveKpis(db: DbOrTx): Promise<LiveKpis> {
  const [row] = rowsOf<Record<string, number>>(
    await db.execute(sql`
      select
        (select count(*) from saved_claims where black_hole and ${outstandingSql()})::int as outstanding_black_hole,
        (select count(*) from saved_claims where ${outstandingSql()})::int as outstanding,
        (select count(*) from saved_claims where triage_state = 'failed')::int as failed,
        (select count(*) from saved_claims where ${silentFailureSql()})::int as silent_failures`),
  );
  return {
    outstandingBlackHole: Number(row.outstanding_black_hole),
    outstanding: Number(row.outstanding),
    failed: Number(row.failed),
    silentFailures: Number(row.silent_failures),
  };
}

export type OutstandingPoint = { day: string; outstanding: number };

// One row a day, written by the status poll (and the seed for the history).
export async function getOutstandingHistory(db: DbOrTx, days = 90): Promise<OutstandingPoint[]> {
  const rows = rowsOf<{ day: string; outstanding: number }>(
    await db.execute(sql`
      select to_char(day, 'YYYY-MM-DD') as day, outstanding from outstanding_daily
      where day >= (now() at time zone 'UTC')::date - ${days}::int
      order by day`),
  );
  return rows.map((r) => ({ day: r.day, outstanding: Number(r.outstanding) }));
}

// Today's point of the burn-down (one row a day, brought up to date by every status poll).
export async function recordOutstandingToday(db: DbOrTx) {
  const [{ outstanding }] = await db
    .select({ outstanding: sql<number>`count(*)::int` })
    .from(savedClaims)
    .where(outstandingSql());
  const day = new Date().toISOString().slice(0, 10);
  await db
    .insert(outstandingDaily)
    .values({ day, outstanding })
    .onConflictDoUpdate({ target: outstandingDaily.day, set: { outstanding, recordedAt: sql`now()` } });
}

export type ClaimOutcomeRow = { formType: FormType; triageState: TriageState; claims: number; resubmitted: number };

// Claims by form type and triage state, and how many of them were ever uploaded through the backup
// flow (any attempt submitted or later; a 674 counts through its 686c's attempts). Heavy: one scan
// of saved_claims joined to the set of uploaded main claims.
export async function getClaimOutcomes(db: DbOrTx): Promise<ClaimOutcomeRow[]> {
  const rows = rowsOf<{ form_type: FormType; triage_state: TriageState; claims: number; resubmitted: number }>(
    await db.execute(sql`
      select form_type, triage_state, claims, resubmitted from overview_claim_outcomes order by 1, 2`),
  );
  return rows.map((r) => ({
    formType: r.form_type,
    triageState: r.triage_state,
    claims: Number(r.claims),
    resubmitted: Number(r.resubmitted),
  }));
}

export type AttemptsDayRow = { day: string; status: AttemptStatus; attempts: number };

// Attempts by the UTC day they started and their status now, over the last `days` days
// (backup_attempts_started_idx bounds the range).
export async function getAttemptsPerDay(db: DbOrTx, days = 60): Promise<AttemptsDayRow[]> {
  const rows = rowsOf<{ day: string; status: AttemptStatus; attempts: number }>(
    await db.execute(sql`
      select to_char(day, 'YYYY-MM-DD') as day, status, attempts from overview_attempts_per_day
      where day >= (now() at time zone 'UTC')::date - ${days - 1}::int
      order by 1, 2`),
  );
  return rows.map((r) => ({ day: r.day, status: r.status, attempts: Number(r.attempts) }));
}

export type FailureReasonRow = { reason: string | null; claims: number };

// The most common primary-path failures (the normalised fingerprint) among claims still outstanding.
export async function getTopFailureReasons(db: DbOrTx, limit = 10): Promise<FailureReasonRow[]> {
  const rows = rowsOf<{ reason: string | null; claims: number }>(
    await db.execute(sql`
      select reason, claims from overview_failure_reasons order by 2 desc, 1 limit ${limit}`),
  );
  return rows.map((r) => ({ reason: r.reason || null, claims: Number(r.claims) }));
}

// Upper bounds of the histogram's buckets, in hours from upload (submitted) to VBMS (end state).
export const VBMS_HOUR_BUCKETS = [6, 12, 24, 48, 72, 96, 120, 168] as const;

export type VbmsBucketRow = { bucket: number; fromHours: number; toHours: number | null; uploads: number };

export async function getUploadToVbmsHistogram(db: DbOrTx): Promise<VbmsBucketRow[]> {
  // The view's bucket bounds are VBMS_HOUR_BUCKETS (migration 0001): change both together.
  const rows = rowsOf<{ bucket: number; uploads: number }>(
    await db.execute(sql`
      select bucket, uploads from overview_vbms_hours order by 1`),
  );
  const byBucket = new Map(rows.map((r) => [Number(r.bucket), Number(r.uploads)]));
  // Every bucket, empty ones included, so the chart's axis does not jump.
  return Array.from({ length: VBMS_HOUR_BUCKETS.length + 1 }, (_, i) => ({
    bucket: i,
    fromHours: i === 0 ? 0 : VBMS_HOUR_BUCKETS[i - 1],
    toHours: i < VBMS_HOUR_BUCKETS.length ? VBMS_HOUR_BUCKETS[i] : null,
    uploads: byBucket.get(i) ?? 0,
  }));
}

export type OverviewHeavy = {
  outcomes: ClaimOutcomeRow[];
  attemptsPerDay: AttemptsDayRow[];
  failureReasons: FailureReasonRow[];
  vbmsHistogram: VbmsBucketRow[];
  computedAt: string;
};

export async function getOverviewHeavy(db: DbOrTx): Promise<OverviewHeavy> {
  const [outcomes, attemptsPerDay, failureReasons, vbmsHistogram] = await Promise.all([
    getClaimOutcomes(db),
    getAttemptsPerDay(db),
    getTopFailureReasons(db),
    getUploadToVbmsHistogram(db),
  ]);
  const [meta] = rowsOf<{ value: string }>(
    await db.execute(sql`select value from app_meta where key = 'overview_refreshed_at'`),
  );
  return {
    outcomes,
    attemptsPerDay,
    failureReasons,
    vbmsHistogram,
    computedAt: meta?.value ?? new Date(0).toISOString(),
  };
}

// How fresh the status poll keeps the views.
export const OVERVIEW_REFRESH_SECONDS = 60;

export const OVERVIEW_VIEWS = [
  "overview_claim_outcomes",
  "overview_attempts_per_day",
  "overview_failure_reasons",
  "overview_vbms_hours",
];

// Brings the heavy figures up to date; concurrently, so pages keep reading the old ones meanwhile.
// Skipped when another process refreshed within `minAgeSeconds`.
export async function refreshOverviewViews(db: DbOrTx, minAgeSeconds = 0) {
  const [meta] = rowsOf<{ age: number | null }>(
    await db.execute(
      sql`select extract(epoch from now() - value::timestamptz)::float as age
        from app_meta where key = 'overview_refreshed_at'`,
    ),
  );
  if (meta && meta.age !== null && Number(meta.age) < minAgeSeconds) return false;
  for (const view of OVERVIEW_VIEWS) await db.execute(sql.raw(`refresh materialized view concurrently ${view}`));
  await db.execute(
    sql`insert into app_meta (key, value) values ('overview_refreshed_at', ${new Date().toISOString()})
      on conflict (key) do update set value = excluded.value`,
  );
  return true;
}
