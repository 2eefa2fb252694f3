import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { idArray } from "../bind-array";
import type { DbOrTx } from "../client";
import { auditEvents, documents, users } from "../schema";

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

// One audit row as the page and the export read it (the page shows only the first claim ids).
const AUDIT_COLUMNS = {
  id: auditEvents.id,
  at: auditEvents.at,
  userEmail: auditEvents.userEmail,
  userName: users.name,
  action: auditEvents.action,
  claimCount: auditEvents.claimCount,
  claimIds: auditEvents.claimIds,
  batchId: auditEvents.batchId,
  reason: auditEvents.reason,
  details: auditEvents.details,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
};

export async function getAuditPage(db: DbOrTx, params: { filter: AuditFilter; pageIndex: number; pageSize: number }) {
  const rows = await db
    .select({ ...AUDIT_COLUMNS, claimIds: sql<number[] | null>`${auditEvents.claimIds}[1:5]` })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.userId))
    .where(auditWhere(params.filter))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(params.pageSize)
    .offset(params.pageIndex * params.pageSize);
  const names = await documentNames(
    db,
    rows.flatMap((r) => zipDocumentIds(r.details)),
  );
  return rows.map((r) => {
    const ids = zipDocumentIds(r.details);
    const zipFiles = ids.map((id) => ({ id, name: names.get(id) ?? `document #${id}` }));
    return { ...r, zipFiles: zipFiles.length ? zipFiles : null };
  });
}

export type AuditRow = Awaited<ReturnType<typeof getAuditPage>>[number];

// Keyset pages for the CSV export, newest first: each page one range of audit_events_at_idx.
export async function getAuditExportPage(
  db: DbOrTx,
  params: { filter: AuditFilter; after?: { cursor: string; id: number }; limit: number },
) {
  const after = params.after
    ? sql`(${auditEvents.at}, ${auditEvents.id}) < (${params.after.cursor}::timestamptz, ${params.after.id})`
    : undefined;
  return db
    .select({ ...AUDIT_COLUMNS, cursor: sql<string>`${auditEvents.at}::text` })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.userId))
    .where(and(auditWhere(params.filter), after))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(params.limit);
}

// A zip download records the documents it held; their file names are read back for the page (a
// stamped document is never renamed or deleted).
function zipDocumentIds(details: Record<string, unknown> | null): number[] {
  if (details?.zip !== true || !Array.isArray(details.documentIds)) return [];
  return details.documentIds.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
}

async function documentNames(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: documents.id, fileName: documents.fileName })
    .from(documents)
    .where(sql`${documents.id} = any(${idArray([...new Set(ids)])})`);
  return new Map(rows.map((r) => [Number(r.id), r.fileName]));
}

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
