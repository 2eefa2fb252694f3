import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { silentFailureSql } from "@/db/outstanding";
import { failedAttemptSql } from "@/db/queries/failure-groups";
import { OVERVIEW_CLAIMS_LINKS } from "../claims/overview-links";
import { countOf } from "../plural";
import type { AlertRuleId } from "./labels";

// The monitoring rules (the seeds' "no failure is ever silent again", made visible). Each returns
// what is firing now, one entry per subject; lib/alerts/evaluate.ts turns that into episodes and
// notifications. Evaluated by the worker (lib/jobs/evaluate-alerts.ts), never by a page view.

export type AlertThresholds = {
  batchStallMinutes: number;
  groupGrowthPerHour: number;
  intake5xxPercent: number;
  // Below this many answers in the window a percentage means little: no alert.
  intakeMinCalls: number;
};

export type Firing = { rule: AlertRuleId; subject: string; summary: string; link: string };

async function silentFailures(db: DbOrTx): Promise<Firing[]> {
  const [row] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from saved_claims where ${silentFailureSql()}`,
  );
  const n = Number(row?.n ?? 0);
  if (n === 0) return [];
  return [
    {
      rule: "silent_failures",
      subject: "",
      summary: `${countOf(n, "silent failure")}: claims that failed with no e-mail to the veteran and no backup working on them.`,
      link: OVERVIEW_CLAIMS_LINKS.silentFailures,
    },
  ];
}

// Queued or running, work left, and no item has changed state for the given minutes.
async function stalledBatches(db: DbOrTx, minutes: number): Promise<Firing[]> {
  const rows = await db.execute<{ id: number; name: string }>(sql`
    select b.id, b.name from batches b
    where b.state in ('queued', 'running') and coalesce(b.started_at, b.created_at) < now() - make_interval(mins => ${minutes})
      and exists (select 1 from batch_items i where i.batch_id = b.id and i.state in ('pending', 'in_progress', 'submitted'))
      and not exists (select 1 from batch_items i where i.batch_id = b.id and i.updated_at > now() - make_interval(mins => ${minutes}))
    order by b.id`);
  return rows.map((b) => ({
    rule: "batch_stalled" as const,
    subject: String(b.id),
    summary: `Batch #${b.id} (${b.name}) has made no progress for ${countOf(minutes, "minute")}.`,
    link: `/batches/${b.id}`,
  }));
}

// Failures of a group in the last hour: claims that failed in the hour (by the source's failure time,
// else their arrival; a freshly loaded history is old news, not growth) and backups of its claims
// failing in the hour.
async function growingGroups(db: DbOrTx, perHour: number): Promise<Firing[]> {
  const rows = await db.execute<{ fingerprint: string; key: string; n: number }>(sql`
    select fingerprint, md5(fingerprint) as key, count(*)::int as n from (
      select c.failure_reason as fingerprint from saved_claims c left join primary_submissions p on p.claim_id = c.id
      where c.failure_reason is not null and c.created_at > now() - interval '1 day'
        and coalesce(p.failed_at, c.created_at) > now() - interval '1 hour'
      union all
      select c.failure_reason from backup_attempts a join saved_claims c on c.id = a.claim_id
      where c.failure_reason is not null and a.started_at > now() - interval '1 day' and ${failedAttemptSql()}
        and coalesce(a.end_state_at, a.finished_at) > now() - interval '1 hour'
    ) f group by 1 having count(*) >= ${perHour} order by 3 desc limit 20`);
  return rows.map((g) => ({
    rule: "group_grew" as const,
    subject: g.key,
    summary: `The failure group “${g.fingerprint.slice(0, 120)}” grew by ${countOf(Number(g.n), "failure")} in the last hour.`,
    link: `/groups/${g.key}`,
  }));
}

// Benefits Intake's answers to our uploads in the last 10 minutes, as the attempts recorded them.
async function intakeErrors(db: DbOrTx, percent: number, minCalls: number): Promise<Firing[]> {
  const [row] = await db.execute<{ calls: number; errors: number }>(sql`
    select count(*)::int as calls, count(*) filter (where http_status >= 500)::int as errors
    from backup_attempts where started_at > now() - interval '10 minutes' and http_status is not null`);
  const calls = Number(row?.calls ?? 0);
  const errors = Number(row?.errors ?? 0);
  if (calls < minCalls || errors * 100 <= percent * calls) return [];
  return [
    {
      rule: "intake_5xx",
      subject: "",
      summary: `Benefits Intake answered 5xx to ${countOf(errors, "call")} of ${calls} (${Math.round((errors * 100) / calls)}%) in the last 10 minutes.`,
      link: "/batches",
    },
  ];
}

export async function evaluateAlertRules(db: DbOrTx, t: AlertThresholds): Promise<Firing[]> {
  const all = await Promise.all([
    silentFailures(db),
    stalledBatches(db, t.batchStallMinutes),
    growingGroups(db, t.groupGrowthPerHour),
    intakeErrors(db, t.intake5xxPercent, t.intakeMinCalls),
  ]);
  return all.flat();
}
