import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { idArray } from "../bind-array";
import type { DbOrTx } from "../client";
import { backupAttempts, batches, batchItemCounts, batchItems, savedClaims, users } from "../schema";
import type { BatchItemState, BatchState } from "../schema/enums";

// Batches and their items (docs/design.md §6): pure query functions shared by the pages, the live progress
// route, the CSV export, the controls and the tests.

export type ItemCounts = Record<BatchItemState, number> & { total: number };

export function emptyItemCounts(): ItemCounts {
  return { pending: 0, in_progress: 0, submitted: 0, confirmed: 0, failed: 0, skipped: 0, cancelled: 0, total: 0 };
}

const batchColumns = {
  id: batches.id,
  name: batches.name,
  source: batches.source,
  reason: batches.reason,
  filter: batches.filter,
  state: batches.state,
  ratePerMinute: batches.ratePerMinute,
  force: batches.force,
  itemCount: batches.itemCount,
  createdAt: batches.createdAt,
  startedAt: batches.startedAt,
  finishedAt: batches.finishedAt,
  historical: batches.historical,
  createdByName: users.name,
  createdByEmail: users.email,
};

export type BatchRecord = {
  id: number;
  name: string;
  source: "selection" | "filter" | "import";
  reason: string;
  filter: Record<string, unknown> | null;
  state: BatchState;
  ratePerMinute: number;
  force: number;
  itemCount: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  historical: number;
  createdByName: string | null;
  createdByEmail: string | null;
};

export async function getBatch(db: DbOrTx, batchId: number): Promise<BatchRecord | null> {
  const [row] = await db
    .select(batchColumns)
    .from(batches)
    .leftJoin(users, eq(users.id, batches.createdByUserId))
    .where(eq(batches.id, batchId));
  return row ?? null;
}

export async function countBatches(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(batches);
  return Number(row?.n ?? 0);
}

// Newest first (batches_created_idx); the page's item counts come from one grouped query.
export async function getBatchesPage(db: DbOrTx, params: { pageIndex: number; pageSize: number }) {
  const rows = await db
    .select(batchColumns)
    .from(batches)
    .leftJoin(users, eq(users.id, batches.createdByUserId))
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(params.pageSize)
    .offset(params.pageIndex * params.pageSize);
  const counts = await getItemCountsForBatches(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, counts: counts.get(r.id) ?? emptyItemCounts() }));
}

// From the counts the triggers keep (batch_item_counts): a few rows a batch, however large.
export async function getItemCountsForBatches(db: DbOrTx, batchIds: number[]): Promise<Map<number, ItemCounts>> {
  const result = new Map<number, ItemCounts>();
  if (batchIds.length === 0) return result;
  const t = batchItemCounts;
  const rows = await db
    .select({ batchId: t.batchId, state: t.state, n: sql<number>`sum(${t.n})::int` })
    .from(t)
    .where(sql`${t.batchId} = any(${idArray(batchIds)})`)
    .groupBy(t.batchId, t.state);
  for (const id of batchIds) result.set(id, emptyItemCounts());
  for (const r of rows) {
    const counts = result.get(Number(r.batchId))!;
    counts[r.state] = Number(r.n);
    counts.total += Number(r.n);
  }
  return result;
}

export async function getBatchItemCounts(db: DbOrTx, batchId: number): Promise<ItemCounts> {
  return (await getItemCountsForBatches(db, [batchId])).get(batchId)!;
}

// Items that reached an outcome (left pending / in progress) within the window: the batch's recent
// pace, which drives the estimate of time left.
export async function getBatchThroughput(db: DbOrTx, batchId: number, windowMinutes: number) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(batchItems)
    .where(
      and(
        eq(batchItems.batchId, batchId),
        inArray(batchItems.state, ["submitted", "confirmed", "failed", "skipped"]),
        gt(batchItems.updatedAt, sql`now() - make_interval(mins => ${windowMinutes})`),
      ),
    );
  return Number(row?.n ?? 0);
}

// When the last item reached its end state: asked only of a batch whose items all have one.
export async function getBatchSettledAt(db: DbOrTx, batchId: number): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`max(${batchItems.updatedAt})` })
    .from(batchItems)
    .where(eq(batchItems.batchId, batchId));
  return row?.at ? new Date(row.at) : null;
}

// The item's own message, else its attempt's error (the console batches recorded only the latter).
const itemMessage = sql<string | null>`coalesce(${batchItems.message},
  nullif(concat_ws(': ', ${backupAttempts.errorCode}, ${backupAttempts.errorMessage}), ''))`;

export async function getRecentBatchFailures(db: DbOrTx, batchId: number, limit = 10) {
  return db
    .select({
      id: batchItems.id,
      claimId: batchItems.claimId,
      state: batchItems.state,
      message: itemMessage,
      updatedAt: batchItems.updatedAt,
    })
    .from(batchItems)
    .leftJoin(backupAttempts, eq(backupAttempts.id, batchItems.attemptId))
    .where(and(eq(batchItems.batchId, batchId), inArray(batchItems.state, ["failed", "skipped"])))
    .orderBy(desc(batchItems.updatedAt), desc(batchItems.id))
    .limit(limit);
}

const itemColumns = {
  id: batchItems.id,
  claimId: batchItems.claimId,
  state: batchItems.state,
  note: batchItems.note,
  message: itemMessage,
  updatedAt: batchItems.updatedAt,
  formType: savedClaims.formType,
  veteranFirstName: savedClaims.veteranFirstName,
  veteranLastName: savedClaims.veteranLastName,
  fileNumber: savedClaims.fileNumber,
  submittedAt: savedClaims.submittedAt,
  triageState: savedClaims.triageState,
  attemptStatus: backupAttempts.status,
  benefitsIntakeUuid: backupAttempts.benefitsIntakeUuid,
};

export type BatchItemRecord = {
  id: number;
  claimId: number;
  state: BatchItemState;
  note: string | null;
  message: string | null;
  updatedAt: Date;
  formType: "21-526EZ" | "21-686C" | "21-674";
  veteranFirstName: string;
  veteranLastName: string;
  fileNumber: string;
  submittedAt: Date;
  triageState: string;
  attemptStatus: string | null;
  benefitsIntakeUuid: string | null;
};

function itemsWhere(batchId: number, states?: BatchItemState[]) {
  return and(eq(batchItems.batchId, batchId), states?.length ? inArray(batchItems.state, states) : undefined);
}

// In item order, which is the order the dispatcher starts them. Deferred join: the page's ids come
// from an index range first (OFFSET skips index entries, not joined rows), then only those rows
// are joined to their claims and attempts.
export async function getBatchItemsPage(
  db: DbOrTx,
  params: { batchId: number; states?: BatchItemState[]; pageIndex: number; pageSize: number },
): Promise<BatchItemRecord[]> {
  const ids = db
    .select({ id: batchItems.id })
    .from(batchItems)
    .where(itemsWhere(params.batchId, params.states))
    .orderBy(asc(batchItems.id))
    .limit(params.pageSize)
    .offset(params.pageIndex * params.pageSize)
    .as("page_ids");
  return db
    .select(itemColumns)
    .from(ids)
    .innerJoin(batchItems, eq(batchItems.id, ids.id))
    .innerJoin(savedClaims, eq(savedClaims.id, batchItems.claimId))
    .leftJoin(backupAttempts, eq(backupAttempts.id, batchItems.attemptId))
    .orderBy(asc(batchItems.id));
}

// Keyset pages for the CSV export: each page one index range, however large the batch.
export async function getBatchItemsExportPage(
  db: DbOrTx,
  params: { batchId: number; afterId: number; limit: number },
): Promise<BatchItemRecord[]> {
  return db
    .select(itemColumns)
    .from(batchItems)
    .innerJoin(savedClaims, eq(savedClaims.id, batchItems.claimId))
    .leftJoin(backupAttempts, eq(backupAttempts.id, batchItems.attemptId))
    .where(and(eq(batchItems.batchId, params.batchId), gt(batchItems.id, params.afterId)))
    .orderBy(asc(batchItems.id))
    .limit(params.limit);
}

// A guarded state change: the row moves only if it is still in one of the `from` states, so two
// people clicking at once cannot both succeed (the second update finds nothing to change).
export async function transitionBatchState(
  db: DbOrTx,
  batchId: number,
  from: BatchState[],
  patch: Partial<{
    state: BatchState;
    startedAt: ReturnType<typeof sql>;
    finishedAt: ReturnType<typeof sql>;
    ratePerMinute: number;
    nextStartAt: Date | null | ReturnType<typeof sql>;
  }>,
) {
  const rows = await db
    .update(batches)
    .set(patch)
    .where(and(eq(batches.id, batchId), inArray(batches.state, from)))
    .returning({
      id: batches.id,
      state: batches.state,
      ratePerMinute: batches.ratePerMinute,
      itemCount: batches.itemCount,
    });
  return rows[0] ?? null;
}

export async function getBatchState(db: DbOrTx, batchId: number): Promise<BatchState | null> {
  const [row] = await db.select({ state: batches.state }).from(batches).where(eq(batches.id, batchId));
  return row?.state ?? null;
}

// Items not started yet are withdrawn; in-flight ones are left to finish and record their outcome.
export async function cancelPendingItems(db: DbOrTx, batchId: number, message: string) {
  const rows = await db
    .update(batchItems)
    .set({ state: "cancelled", message, updatedAt: sql`now()` })
    .where(and(eq(batchItems.batchId, batchId), eq(batchItems.state, "pending")))
    .returning({ claimId: batchItems.claimId });
  return rows.map((r) => Number(r.claimId));
}
