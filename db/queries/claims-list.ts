import { and, eq, gte, inArray, lt, lte, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../client";
import { savedClaims } from "../schema";
import type { FormType, TriageState } from "../schema/enums";
import { isStorableText } from "../storable-text";
import { searchCondition } from "./claims-search";
import type { PageSeek } from "./page-seek";

// The triage list (docs/design.md §6): pure query functions over saved_claims' read-model columns, so the
// page, the CSV export, batch creation from "all matching" and the benchmark share one where-clause.
// Everything here must stay fast at 1,000,000 claims: every sort follows an index, counts are
// capped, and deep pages use a deferred join.

export type ClaimsFilter = {
  formTypes?: FormType[];
  triageStates?: TriageState[];
  blackHole?: boolean;
  failureNotified?: boolean; // the veteran was told the claim failed (false: a silent failure while outstanding)
  failureReason?: string; // the normalised fingerprint, exactly
  batchId?: number;
  submittedFrom?: string; // YYYY-MM-DD, inclusive (UTC)
  submittedTo?: string; // YYYY-MM-DD, inclusive (UTC)
  q?: string;
  // A batch made from a filter freezes it: claims created or submitted after this ISO instant are
  // never swept in, however long the batch runs (docs/design.md §6a).
  frozenAt?: string;
};

// Sort ids are whitelisted to orders an index serves in either direction, whatever the filter:
// submitted_at (saved_claims_list_covering2_idx), the claim id (the primary key), and the form, triage
// state and attempt count, each led into (…, submitted_at desc, id desc) by its own index
// (saved_claims_form_submitted_idx, saved_claims_triage_submitted_idx, saved_claims_attempts_idx).
// Reason is a filter with counts rather than a sort.
export type ClaimSortId = "submittedAt" | "id" | "formType" | "triageState" | "attempts";
export type ClaimSort = { id: ClaimSortId; desc: boolean };

type Table = typeof savedClaims;

// Sorts that pages can start at a row's key (PageSeek); the others page by OFFSET.
const SEEKABLE: readonly ClaimSortId[] = ["submittedAt", "id"];

// The NULLS clauses must match each index's own order, or PostgreSQL cannot walk the index for the
// ORDER BY (even on NOT NULL columns) and sorts instead: the primary key is (id asc nulls last),
// the others are (<column> asc nulls last, submitted_at desc nulls last, id desc nulls last), walked
// forwards for ascending and backwards for descending (so ties run oldest first when descending).
export function claimsOrderBy(sort: ClaimSort, t: Table = savedClaims): SQL[] {
  if (sort.id === "id") return [sort.desc ? sql`${t.id} desc nulls first` : sql`${t.id} asc nulls last`];
  const lead = { submittedAt: null, formType: t.formType, triageState: t.triageState, attempts: t.attemptCount }[
    sort.id
  ];
  if (lead === null)
    return sort.desc
      ? [sql`${t.submittedAt} desc nulls last`, sql`${t.id} desc nulls last`]
      : [sql`${t.submittedAt} asc nulls first`, sql`${t.id} asc nulls first`];
  return sort.desc
    ? [sql`${lead} desc nulls first`, sql`${t.submittedAt} asc nulls first`, sql`${t.id} asc nulls first`]
    : [sql`${lead} asc nulls last`, sql`${t.submittedAt} desc nulls last`, sql`${t.id} desc nulls last`];
}

function nextDay(date: string) {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

// The one where-clause for the list, its count, its export, its reasons panel and batches made from
// it. Values are always bound parameters.
export function claimsWhere(filters: ClaimsFilter, options: { piiSearch: boolean }): SQL {
  const t = savedClaims;
  const conditions: (SQL | undefined)[] = [
    filters.formTypes?.length ? inArray(t.formType, filters.formTypes) : undefined,
    filters.triageStates?.length ? inArray(t.triageState, filters.triageStates) : undefined,
    filters.blackHole === undefined ? undefined : eq(t.blackHole, filters.blackHole),
    filters.failureNotified === undefined ? undefined : eq(t.failureNotified, filters.failureNotified),
    // A NUL byte cannot be stored, so no reason holds one: match nothing rather than send it.
    filters.failureReason === undefined
      ? undefined
      : isStorableText(filters.failureReason)
        ? eq(t.failureReason, filters.failureReason)
        : sql`false`,
    filters.batchId !== undefined ? eq(t.latestBatchId, filters.batchId) : undefined,
    filters.submittedFrom ? gte(t.submittedAt, new Date(`${filters.submittedFrom}T00:00:00.000Z`)) : undefined,
    filters.submittedTo ? lt(t.submittedAt, new Date(nextDay(filters.submittedTo))) : undefined,
    filters.q ? searchCondition(filters.q, options.piiSearch) : undefined,
    filters.frozenAt ? lte(t.createdAt, new Date(filters.frozenAt)) : undefined,
    filters.frozenAt ? lte(t.submittedAt, new Date(filters.frozenAt)) : undefined,
  ];
  return and(...conditions) ?? sql`true`;
}

const listColumns = (t: Table) => ({
  id: t.id,
  formType: t.formType,
  veteranFirstName: t.veteranFirstName,
  veteranLastName: t.veteranLastName,
  submittedAt: t.submittedAt,
  failureReason: t.failureReason,
  attemptCount: t.attemptCount,
  latestAttemptStatus: t.latestAttemptStatus,
  latestBatchId: t.latestBatchId,
  triageState: t.triageState,
  blackHole: t.blackHole,
  mainClaimId: t.mainClaimId,
});

export type ClaimListRecord = {
  id: number;
  formType: FormType;
  veteranFirstName: string;
  veteranLastName: string;
  submittedAt: Date;
  failureReason: string | null;
  attemptCount: number;
  latestAttemptStatus: string | null;
  latestBatchId: number | null;
  triageState: TriageState;
  blackHole: boolean;
  mainClaimId: number | null;
};

export const MAX_PAGE_SIZE = 100;

// A page reached by Next or Previous starts at a row's sort key (PageSeek): one index range however
// deep it is, where OFFSET walks every row before it (page 20,000 of a million claims: 500,000 index
// entries, ~70 ms). The key: "<submitted_at in epoch microseconds>.<id>" for the date sort, "<id>"
// for the id sort.

type SeekKey = { micros: bigint | null; id: number };

function parseSeekKey(key: string, sort: ClaimSort): SeekKey | null {
  if (!SEEKABLE.includes(sort.id)) return null;
  const match = sort.id === "id" ? /^(\d{1,15})$/.exec(key) : /^(-?\d{1,19})\.(\d{1,15})$/.exec(key);
  if (!match) return null;
  const id = Number(match[sort.id === "id" ? 1 : 2]);
  return Number.isSafeInteger(id) ? { micros: sort.id === "id" ? null : BigInt(match[1]), id } : null;
}

function seekCondition(seek: SeekKey, sort: ClaimSort, direction: PageSeek["direction"]): SQL {
  const t = savedClaims;
  // "after" in the page's own order: smaller keys when it runs newest (or highest) first.
  const lessThan = (direction === "after") === sort.desc;
  if (seek.micros === null) return lessThan ? lt(t.id, seek.id) : sql`${t.id} > ${seek.id}`;
  // A row comparison PostgreSQL matches to saved_claims_list_covering2_idx as one index range.
  const at = sql`(timestamptz 'epoch' + ${seek.micros.toString()}::bigint * interval '1 microsecond')`;
  return lessThan
    ? sql`(${t.submittedAt}, ${t.id}) < (${at}, ${seek.id})`
    : sql`(${t.submittedAt}, ${t.id}) > (${at}, ${seek.id})`;
}

const seekKeyOf = (t: Table) =>
  sql<string>`(floor(extract(epoch from ${t.submittedAt}) * 1000000)::bigint)::text || '.' || ${t.id}`;

export type ClaimsPage = { records: ClaimListRecord[]; pageIndex: number; firstKey?: string; lastKey?: string };

// Deferred join: the page's ids come from an index scan (OFFSET skips index entries, not heap
// rows), then only those rows are read. With a seek key the ids are one index range instead.
export async function getClaimsPage(
  db: DbOrTx,
  params: { where: SQL; sort: ClaimSort; pageIndex: number; pageSize: number; seek?: PageSeek },
): Promise<ClaimsPage> {
  const pageSize = Math.min(Math.max(1, params.pageSize), MAX_PAGE_SIZE);
  const seekKey = params.seek && params.pageIndex > 0 ? parseSeekKey(params.seek.key, params.sort) : null;
  const backwards = seekKey !== null && params.seek!.direction === "before";
  // Previous reads the rows before the key in reverse order, then turns them round.
  const readOrder = backwards ? { ...params.sort, desc: !params.sort.desc } : params.sort;
  const ids = db
    .select({ id: savedClaims.id })
    .from(savedClaims)
    .where(seekKey ? and(params.where, seekCondition(seekKey, params.sort, params.seek!.direction)) : params.where)
    .orderBy(...claimsOrderBy(readOrder))
    .limit(pageSize)
    .offset(seekKey ? 0 : Math.max(0, params.pageIndex) * pageSize)
    .as("page_ids");
  // Typed as the table itself: the alias only changes the name the SQL uses.
  const c = alias(savedClaims, "c") as unknown as Table;
  const seekable = SEEKABLE.includes(params.sort.id);
  const rows = await db
    .select({
      ...listColumns(c),
      seekKey: !seekable ? sql<null>`null` : params.sort.id === "id" ? sql<string>`${c.id}::text` : seekKeyOf(c),
    })
    .from(ids)
    .innerJoin(c, eq(c.id, ids.id))
    .orderBy(...claimsOrderBy(params.sort, c));
  // Fewer rows than a page before the key: rows came or went since the link was made, and this
  // is the start of the list. Show the first page as it is now.
  if (backwards && rows.length < pageSize) return getClaimsPage(db, { ...params, pageIndex: 0, seek: undefined });
  const records = rows.map(({ seekKey: _key, ...record }) => record);
  return {
    records,
    pageIndex: Math.max(0, params.pageIndex),
    firstKey: rows[0]?.seekKey ?? undefined,
    lastKey: rows.at(-1)?.seekKey ?? undefined,
  };
}

export const COUNT_CAP = 10_000;

export type ClaimsCount = { count: number; exact: boolean };

// Exact up to the cap (reading at most cap + 1 matching rows); above it the planner's estimate,
// which the page labels as such. When the planner already puts the filter far above the cap (its
// estimates can be a few times off either way), the capped read is skipped altogether.
export async function countClaims(db: DbOrTx, where: SQL, cap = COUNT_CAP): Promise<ClaimsCount> {
  const estimate = await estimateClaims(db, where);
  if (estimate > cap * 5) return { count: estimate, exact: false };
  const rows = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from (select 1 from ${savedClaims} where ${where} limit ${cap + 1}) capped`,
  );
  const n = Number(rows[0]?.n ?? 0);
  if (n <= cap) return { count: n, exact: true };
  return { count: Math.max(estimate, cap + 1), exact: false };
}

export async function estimateClaims(db: DbOrTx, where: SQL): Promise<number> {
  const rows = await db.execute<{ "QUERY PLAN": unknown }>(
    sql`explain (format json) select 1 from ${savedClaims} where ${where}`,
  );
  const raw = rows[0]?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: { "Plan Rows": number } }[];
  return Math.round(plan[0]?.Plan["Plan Rows"] ?? 0);
}

export type FailureReasonCount = { reason: string; count: number; exact: boolean };

// The fingerprints present, by walking the failure_reason index one distinct value at a time
// (a loose index scan): a probe per reason instead of reading a million rows.
async function distinctFailureReasons(db: DbOrTx, limit: number): Promise<string[]> {
  const rows = await db.execute<{ reason: string }>(sql`
    with recursive r(reason) as (
      (select failure_reason from saved_claims where failure_reason is not null order by failure_reason limit 1)
      union all
      select (select failure_reason from saved_claims where failure_reason > r.reason order by failure_reason limit 1)
      from r where r.reason is not null
    )
    select reason from r where reason is not null limit ${limit}`);
  return rows.map((row) => row.reason);
}

// Sentry-style grouping: how many claims per fingerprint under the other filters. Exact when the
// filter matches at most `cap` claims (one grouped read of those rows); above that, the planner's
// estimate per fingerprint, marked as such, so the panel stays cheap at a million claims.
export async function getFailureReasonCounts(
  db: DbOrTx,
  where: SQL,
  options: { cap?: number; limit?: number } = {},
): Promise<FailureReasonCount[]> {
  const cap = options.cap ?? COUNT_CAP;
  const limit = options.limit ?? 50;
  // Far above the cap by the planner's reckoning (which can be a few times off either way): go
  // straight to estimates rather than read cap + 1 rows only to find there are more.
  const clearlyLarge = (await estimateClaims(db, where)) > cap * 5;
  const grouped = clearlyLarge
    ? []
    : await db.execute<{ reason: string | null; n: number }>(sql`
        select failure_reason as reason, count(*)::int as n
        from (select failure_reason from ${savedClaims} where ${where} limit ${cap + 1}) capped
        group by 1`);
  const seen = grouped.reduce((sum, row) => sum + Number(row.n), 0);
  let counts: FailureReasonCount[];
  if (!clearlyLarge && seen <= cap) {
    counts = grouped
      .filter((row) => row.reason !== null)
      .map((row) => ({ reason: row.reason!, count: Number(row.n), exact: true }));
  } else {
    const reasons = await distinctFailureReasons(db, 200);
    const estimates = await Promise.all(
      reasons.map((reason) => estimateClaims(db, and(where, eq(savedClaims.failureReason, reason))!)),
    );
    counts = reasons.map((reason, i) => ({ reason, count: estimates[i], exact: false })).filter((c) => c.count > 0);
  }
  return counts.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)).slice(0, limit);
}

export type ClaimExportRecord = ClaimListRecord & { cursor: string };

// Keyset pages over (submitted_at, id), newest first: every matching row, each page one index range,
// however deep the export goes.
export async function getClaimsExportPage(
  db: DbOrTx,
  params: { where: SQL; after?: { cursor: string; id: number }; limit: number },
): Promise<ClaimExportRecord[]> {
  const t = savedClaims;
  const after = params.after
    ? sql`(${t.submittedAt}, ${t.id}) < (${params.after.cursor}::timestamptz, ${params.after.id})`
    : undefined;
  return db
    .select({ ...listColumns(t), cursor: sql<string>`${t.submittedAt}::text` })
    .from(t)
    .where(and(params.where, after))
    .orderBy(...claimsOrderBy({ id: "submittedAt", desc: true }))
    .limit(params.limit);
}
