import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { auditEvents, users } from "../schema";

// The audit log (admin): who did what to which claims, when and from where; filtered and paged on
// the server. Every filter follows an index: (at), (action, at) or (user_email, at).

// from and to: YYYY-MM-DD, UTC, inclusive.
export type AuditFilter = { action?: string; userEmail?: string; from?: string; to?: string };

function nextDay(date: string) {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export function auditWhere(f: AuditFilter): SQL | undefined {
  return and(
    f.action ? eq(auditEvents.action, f.action) : undefined,
    f.userEmail ? eq(auditEvents.userEmail, f.userEmail) : undefined,
    f.from ? gte(auditEvents.at, new Date(`${f.from}T00:00:00.000Z`)) : undefined,
    f.to ? lt(auditEvents.at, nextDay(f.to)) : undefined,
  );
}

export async function getAuditPage(db: DbOrTx, params: { filter: AuditFilter; pageIndex: number; pageSize: number }) {
  return db
    .select({
      id: auditEvents.id,
      at: auditEvents.at,
      userEmail: auditEvents.userEmail,
      userName: users.name,
      action: auditEvents.action,
      claimCount: auditEvents.claimCount,
      claimIds: sql<number[] | null>`${auditEvents.claimIds}[1:5]`,
      batchId: auditEvents.batchId,
      reason: auditEvents.reason,
      details: auditEvents.details,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.userId))
    .where(auditWhere(params.filter))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(params.pageSize)
    .offset(params.pageIndex * params.pageSize);
}

export type AuditRow = Awaited<ReturnType<typeof getAuditPage>>[number];

export const AUDIT_COUNT_CAP = 10_000;

// Exact up to the cap; the page says "more than" above it.
export async function countAuditEvents(db: DbOrTx, filter: AuditFilter, cap = AUDIT_COUNT_CAP) {
  const where = auditWhere(filter) ?? sql`true`;
  const rows = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${auditEvents} where ${where} limit ${cap + 1}) capped`,
  );
  const n = Number(rows[0]?.n ?? 0);
  return { count: Math.min(n, cap), capped: n > cap };
}

// Distinct values by skipping through the index (one probe per value, not a scan of the log).
async function distinctColumn(db: DbOrTx, column: "action" | "user_email") {
  const col = sql.identifier(column);
  const rows = await db.execute<{ v: string | null }>(sql`
    with recursive d(v) as (
      (select ${col} from audit_events order by ${col} limit 1)
      union all
      select (select ${col} from audit_events where ${col} > d.v order by ${col} limit 1) from d where d.v is not null
    )
    select v from d where v is not null`);
  return Array.from(rows, (r) => String(r.v));
}

export const getAuditActions = (db: DbOrTx) => distinctColumn(db, "action");
export const getAuditUsers = (db: DbOrTx) => distinctColumn(db, "user_email");
