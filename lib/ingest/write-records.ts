import type { Db, DbOrTx } from "@/db/client";
import {
  addEvidenceReferences,
  type IngestClaimRow,
  insertIngestedClaims,
  insertIngestGroups,
  type NewIngestGroup,
  stageBodies,
  updateIngestedClaims,
} from "@/db/queries/ingest-claims";
import { getWaiting, settleGroups } from "@/db/queries/ingest-groups";
import { lockIngest } from "@/db/queries/ingest-records";
import { log } from "../log";
import { duplicatesAmong, isChild, planWrites, WITHIN_CHUNK, type Write } from "./plan-writes";
import {
  type IngestItem,
  type Pending,
  type PreparedChunk,
  prepareRecords,
  type RecordResult,
  refusal,
  type StoredResult,
} from "./prepare-records";
import { type IngestWay, recordReceipt } from "./receipt";
import { reconcileClaims } from "./reconcile";

// The one import path every way in shares (the API, the file import): prepare the records
// (prepare-records.ts: validate, classify, map), decide what each does (plan-writes.ts), then write
// the chunk in one transaction, in set statements. A record that fails validation, or that would
// take another claim's confirmation guid, is refused before anything is written, with every reason;
// if the set write still fails (a database error no check foresaw), the chunk is written again
// record by record, each in its own savepoint, so one bad record never refuses the rest and never
// leaves half of itself behind.
//
// Chunks run side by side (the file import writes two at once, the API one per request), and most
// of a bulk load's work is new claims: their rows and indexes. So a chunk stages its bulk (form
// data, records as received: stageBodies) and writes its new claims (createBeforeLock) before it
// takes the ingest lock, while another chunk holds it; everything that ties claims together
// (updates, groups, duplicates, what a claim waits for) is decided and written under the lock, over
// every claim of the chunk. The new claims are planned against what is committed, and the unique
// keys settle the rest: if another chunk is writing the same record, group or confirmation guid at
// that moment, the early writes are undone and the whole chunk is planned again under the lock.

export async function ingestRecords(
  db: Db,
  items: readonly IngestItem[],
  way: IngestWay,
  now = new Date(),
): Promise<RecordResult[]> {
  return writePrepared(db, await prepareRecords(items, now), way);
}

export async function writePrepared(db: Db, chunk: PreparedChunk, way: IngestWay): Promise<RecordResult[]> {
  const { pending, results } = chunk;
  if (pending.length > 0) await writeChunk(db, pending, results);

  for (const p of pending) {
    const winner = results.get(p.index);
    for (const index of p.superseded) {
      if (winner && winner.result !== "refused") {
        results.set(index, {
          index,
          sourceSystem: p.mapped.sourceSystem,
          sourceId: p.mapped.sourceId,
          result: "unchanged",
          claimId: winner.claimId,
          waitingFor: winner.waitingFor,
          note: `superseded by a newer version of the same record (item ${p.index})`,
        });
      } else
        results.set(
          index,
          refusal(
            index,
            [{ path: "(record)", message: `not written: item ${p.index} with the same source id was refused` }],
            p.mapped,
          ),
        );
    }
  }
  const sorted = [...results.values()].sort((a, b) => a.index - b.index);
  await recordReceipt(db, sorted, way);
  return sorted;
}

const DEADLOCK = "40P01";
const ATTEMPTS = 3;

// The chunk in one transaction. A chunk waiting for the lock may hold a new row another chunk,
// holding the lock, is about to write too: PostgreSQL ends one of the two to break that deadlock,
// and that chunk is written again from the start (its results from the first try are dropped).
async function writeChunk(db: Db, pending: Pending[], results: Map<number, RecordResult>) {
  for (let attempt = 1; ; attempt++) {
    const tried = new Map(results);
    try {
      await db.transaction(async (tx) => {
        await stageBodies(
          tx,
          pending.map((p) => p.body),
        );
        const early = await createBeforeLock(tx, pending, tried);
        await lockIngest(tx);
        const plan = await planWrites(
          tx,
          pending.filter((p) => !early.decided.has(p.index)),
          tried,
        );
        if (plan.writes.length > 0 || early.writes.length > 0) {
          try {
            await tx.transaction((sp) => writeSet(sp, plan.writes, plan.newGroups, plan.existingGroups, tried, early));
          } catch (error) {
            if (databaseCode(error) === DEADLOCK) throw error; // the whole chunk again, not one by one
            logWriteError(error, plan.writes.length + early.writes.length);
            await writeOneByOne(tx, plan, tried, early);
          }
        }
        // An unchanged record's claim may still wait for a file: the source is told so every time.
        const unchanged = [...tried.values()].filter((r): r is StoredResult => r.result === "unchanged");
        const waiting = await getWaiting(
          tx,
          unchanged.map((r) => r.claimId),
        );
        for (const r of unchanged) r.waitingFor = waiting.get(r.claimId) ?? null;
      });
      for (const [index, result] of tried) results.set(index, result);
      return;
    } catch (error) {
      if (attempt >= ATTEMPTS || databaseCode(error) !== DEADLOCK) throw error;
      log.warn({ attempt, records: pending.length }, "ingest: chunk written again after a deadlock");
    }
  }
}

// Claims written before the lock: their rows are there, their groups not yet settled.
type Early = { writes: Write[]; existingGroups: ReadonlySet<number>; decided: ReadonlySet<number> };

// The chunk's new claims, planned against what is committed and written in a savepoint before the
// lock is taken. A record refused there for a guid another record of the chunk took is refused
// for good (a decision within the chunk); every other record is planned again under the lock. If
// the writes fail (another chunk is writing the same record, group or guid), they are undone and
// nothing is decided early.
async function createBeforeLock(tx: DbOrTx, pending: Pending[], results: Map<number, RecordResult>): Promise<Early> {
  const none: Early = { writes: [], existingGroups: new Set(), decided: new Set() };
  const scratch = new Map<number, RecordResult>();
  const plan = await planWrites(tx, pending, scratch);
  const writes = plan.writes.filter((w) => w.kind === "created");
  if (writes.length === 0) return none;
  const rows = writes.map((w) => w.row);
  const groupIds = new Set(rows.map((r) => r.groupId));
  try {
    await tx.transaction(async (sp) => {
      await insertIngestGroups(
        sp,
        plan.newGroups.filter((g) => groupIds.has(g.groupId)),
      );
      await insertNewClaims(sp, rows);
    });
  } catch (error) {
    log.info({ records: rows.length, reason: databaseReason(error) }, "ingest: new claims left to the lock");
    return none;
  }
  const decided = new Set(writes.map((w) => w.pending.index));
  for (const [index, result] of scratch) {
    if (result.result !== "refused" || !result.problems.some((p) => p.message.startsWith(WITHIN_CHUNK))) continue;
    results.set(index, result);
    decided.add(index);
  }
  return { writes, existingGroups: plan.existingGroups, decided };
}

async function insertNewClaims(tx: DbOrTx, rows: IngestClaimRow[]) {
  await insertIngestedClaims(tx, rows, duplicatesAmong(rows));
  await addEvidenceReferences(tx, rows);
}

async function writeSet(
  tx: DbOrTx,
  writes: Write[],
  newGroups: NewIngestGroup[],
  existingGroups: ReadonlySet<number>,
  results: Map<number, RecordResult>,
  early: Early,
) {
  const rows = writes.map((w) => w.row);
  const created = writes.filter((w) => w.kind === "created").map((w) => w.row);
  const updated = writes.filter((w) => w.kind === "updated").map((w) => w.row);
  await insertIngestGroups(tx, newGroups);
  await reconcileClaims(tx, updated);
  await insertIngestedClaims(tx, created, duplicatesAmong(created));
  await updateIngestedClaims(tx, updated);
  await addEvidenceReferences(tx, rows);
  // A group that was there before, or has a child, may hold several claims; one with evidence may wait.
  const inserted = early.writes.map((w) => w.row);
  const shared = [
    ...rows.filter((r) => existingGroups.has(r.groupId) || isChild(r)),
    ...inserted.filter((r) => early.existingGroups.has(r.groupId) || isChild(r)),
  ].map((r) => r.groupId);
  const everyWrite = [...writes, ...early.writes];
  const all = everyWrite.map((w) => w.row);
  const mayWait = new Set([...shared, ...all.filter((r) => r.evidence.length > 0).map((r) => r.groupId)]);
  await settleGroups(tx, { all: all.map((r) => r.groupId), shared, waiting: [...mayWait] });
  // A new claim in a group of its own, with no evidence, waits for nothing: it was written so
  // (insertIngestedClaims) and nothing above looked at it again. Only the others are read back: in
  // the demo's mix, 29% of a bulk load's claims.
  const waiting = await getWaiting(
    tx,
    everyWrite.filter((w) => w.kind === "updated" || mayWait.has(w.row.groupId)).map((w) => w.row.claimId),
  );
  for (const w of everyWrite) {
    results.set(w.pending.index, {
      index: w.pending.index,
      sourceSystem: w.row.sourceSystem,
      sourceId: w.row.sourceId,
      result: w.kind,
      claimId: w.row.claimId,
      waitingFor: waiting.get(w.row.claimId) ?? null,
    });
  }
}

async function writeOneByOne(
  tx: DbOrTx,
  plan: { writes: Write[]; newGroups: NewIngestGroup[]; existingGroups: ReadonlySet<number> },
  results: Map<number, RecordResult>,
  early: Early,
) {
  // The claims written before the lock are settled first (their rows are in; if this fails, the chunk does).
  if (early.writes.length > 0) await tx.transaction((sp) => writeSet(sp, [], [], new Set(), results, early));
  const unwritten = new Map(plan.newGroups.map((g) => [g.groupId, g]));
  const written = new Set(plan.existingGroups);
  const nothingEarly: Early = { writes: [], existingGroups: new Set(), decided: new Set() };
  for (const write of plan.writes) {
    const group = unwritten.get(write.row.groupId);
    try {
      await tx.transaction((sp) => writeSet(sp, [write], group ? [group] : [], written, results, nothingEarly));
      unwritten.delete(write.row.groupId);
      written.add(write.row.groupId);
    } catch (error) {
      if (databaseCode(error) === DEADLOCK) throw error;
      logWriteError(error, 1);
      results.set(write.pending.index, {
        index: write.pending.index,
        sourceSystem: write.row.sourceSystem,
        sourceId: write.row.sourceId,
        result: "refused",
        problems: [{ path: "(record)", message: `could not be stored: ${databaseReason(error)}` }],
      });
    }
  }
}

function databaseCode(error: unknown): string | undefined {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code;
}

// The database's words may quote the record's values: only the error's code and constraint are kept.
function databaseReason(error: unknown): string {
  const e = error as { constraint_name?: string; cause?: { constraint_name?: string } };
  const code = databaseCode(error);
  const constraint = e.constraint_name ?? e.cause?.constraint_name;
  return code ? `database error ${code}${constraint ? ` (${constraint})` : ""}` : "unexpected error";
}

function logWriteError(error: unknown, records: number) {
  log.error({ records, reason: databaseReason(error) }, "ingest: set write failed");
}
