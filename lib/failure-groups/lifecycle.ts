import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { groupFailuresSinceSql } from "@/db/queries/failure-groups";
import { auditEvents } from "@/db/schema";
import { countOf } from "../plural";

// A failure group's life, as a team that owns it sees it (Sentry's issues): open → investigating →
// resolved, or ignored until a day or until N more failures. A resolved group that gets new failures,
// and an ignored one whose condition has passed, reopen — decided here and only here, by the worker
// (lib/jobs/reopen-failure-groups.ts), whichever way the failures arrived (ingest, a backup's outcome).

export const FAILURE_GROUP_STATUSES = ["open", "investigating", "resolved", "ignored"] as const;
export type FailureGroupStatus = (typeof FAILURE_GROUP_STATUSES)[number];

export const FAILURE_GROUP_STATUS_LABEL: Record<FailureGroupStatus, string> = {
  open: "Open",
  investigating: "Investigating",
  resolved: "Resolved",
  ignored: "Ignored",
};

export type GroupLifecycleState = {
  status: string;
  statusChangedAt: Date;
  ignoreUntilAt: Date | null;
  ignoreUntilCount: number | null;
};

const DAY = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });

// Why the group reopens now, or null when it stays as it is. newFailures counts failures since its
// status last changed (groupFailuresSinceSql).
export function reopenReason(group: GroupLifecycleState, newFailures: number, now: Date): string | null {
  if (group.status === "resolved") {
    return newFailures > 0
      ? `Reopened: ${countOf(newFailures, "new failure")} since it was resolved on ${DAY.format(group.statusChangedAt)}.`
      : null;
  }
  if (group.status !== "ignored") return null;
  if (group.ignoreUntilAt && group.ignoreUntilAt.getTime() <= now.getTime()) {
    return `Reopened: it was ignored until ${DAY.format(group.ignoreUntilAt)}.`;
  }
  if (group.ignoreUntilCount !== null && newFailures >= group.ignoreUntilCount) {
    return `Reopened: ${countOf(newFailures, "new failure")} since it was ignored (until ${countOf(group.ignoreUntilCount, "more failure")}).`;
  }
  return null;
}

// Describes an "ignored" group's condition for the list and the page.
export function ignoreCondition(group: Pick<GroupLifecycleState, "ignoreUntilAt" | "ignoreUntilCount">): string {
  if (group.ignoreUntilAt) return `until ${DAY.format(group.ignoreUntilAt)}`;
  if (group.ignoreUntilCount !== null) return `until ${countOf(group.ignoreUntilCount, "more failure")}`;
  return "for good";
}

type Candidate = {
  fingerprint: string;
  status: string;
  statusChangedAt: string;
  ignoreUntilAt: string | null;
  ignoreUntilCount: number | null;
  newFailures: number;
};

// Run by the worker: reopens every resolved or ignored group whose rule says so, each in its own
// statement guarded by the status it read (a person's change in between wins), audited as the worker.
export async function reopenFailureGroups(db: DbOrTx, now = new Date()): Promise<string[]> {
  const candidates = await db.execute<Candidate>(sql`
    select g.fingerprint, g.status, g.status_changed_at as "statusChangedAt", g.ignore_until_at as "ignoreUntilAt",
      g.ignore_until_count as "ignoreUntilCount",
      ${groupFailuresSinceSql(sql`g.fingerprint`, sql`g.status_changed_at`)} as "newFailures"
    from failure_groups g where g.status in ('resolved', 'ignored')`);
  const reopened: string[] = [];
  for (const c of candidates) {
    const state = {
      status: c.status,
      statusChangedAt: new Date(c.statusChangedAt),
      ignoreUntilAt: c.ignoreUntilAt ? new Date(c.ignoreUntilAt) : null,
      ignoreUntilCount: c.ignoreUntilCount,
    };
    const reason = reopenReason(state, Number(c.newFailures), now);
    if (!reason) continue;
    const changed = await db.execute(sql`
      update failure_groups set status = 'open', status_changed_at = now(), reopened_at = now(),
        reopened_reason = ${reason}, ignore_until_at = null, ignore_until_count = null, updated_at = now()
      where fingerprint = ${c.fingerprint} and status = ${c.status} and status_changed_at = ${c.statusChangedAt}
      returning fingerprint`);
    if (changed.length === 0) continue;
    await db.insert(auditEvents).values({
      userId: null,
      userEmail: "worker",
      action: "group.reopen",
      reason,
      details: { fingerprint: c.fingerprint, from: c.status, to: "open", newFailures: Number(c.newFailures) },
    });
    reopened.push(c.fingerprint);
  }
  return reopened;
}
