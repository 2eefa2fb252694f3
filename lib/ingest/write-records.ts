import type { Db, DbOrTx } from "@/db/client";
import {
  addEvidenceReferences,
  insertIngestedClaims,
  insertIngestGroups,
  type NewIngestGroup,
  stageBodies,
  updateIngestedClaims,
  upsertPrimarySubmissions,
  writeIngestRecords,
} from "@/db/queries/ingest-claims";
import { getWaiting, settleGroups } from "@/db/queries/ingest-groups";
import { lockIngest } from "@/db/queries/ingest-records";
import { log } from "../log";
import { isChild, planWrites, type Write } from "./plan-writes";
import {
  type IngestItem,
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
// the chunk in one transaction under the ingest lock, in set statements. The chunk's bulk (form data,
// records as received) is sent in that transaction before the lock is taken (stageBodies), so a
// second writer (the file import runs two, the API one per request) parses its megabytes while the
// first holds the lock. A record that fails
// validation, or that would take another claim's confirmation guid, is refused before anything is
// written, with every reason; if the set write still fails (a database error no check foresaw),
// the chunk is written again record by record, each in its own savepoint, so one bad record never
// refuses the rest and never leaves half of itself behind.

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
  if (pending.length > 0) {
    await db.transaction(async (tx) => {
      await stageBodies(
        tx,
        pending.map((p) => p.body),
      );
      await lockIngest(tx);
      const plan = await planWrites(tx, pending, results);
      if (plan.writes.length > 0) {
        try {
          await tx.transaction((sp) => writeSet(sp, plan.writes, plan.newGroups, plan.existingGroups, results));
        } catch (error) {
          logWriteError(error, plan.writes.length);
          await writeOneByOne(tx, plan, results);
        }
      }
      // An unchanged record's claim may still wait for a file: the source is told so every time.
      const unchanged = [...results.values()].filter((r): r is StoredResult => r.result === "unchanged");
      const waiting = await getWaiting(
        tx,
        unchanged.map((r) => r.claimId),
      );
      for (const r of unchanged) r.waitingFor = waiting.get(r.claimId) ?? null;
    });
  }

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

async function writeSet(
  tx: DbOrTx,
  writes: Write[],
  newGroups: NewIngestGroup[],
  existingGroups: ReadonlySet<number>,
  results: Map<number, RecordResult>,
) {
  const rows = writes.map((w) => w.row);
  const created = writes.filter((w) => w.kind === "created").map((w) => w.row);
  const updated = writes.filter((w) => w.kind === "updated").map((w) => w.row);
  await insertIngestGroups(tx, newGroups);
  await reconcileClaims(tx, updated);
  await insertIngestedClaims(tx, created);
  await updateIngestedClaims(tx, updated);
  await upsertPrimarySubmissions(tx, updated);
  await addEvidenceReferences(tx, rows);
  await writeIngestRecords(tx, created, "created");
  await writeIngestRecords(tx, updated, "updated");
  // A group that was there before, or has a child, may hold several claims; one with evidence may wait.
  const shared = rows.filter((r) => existingGroups.has(r.groupId) || isChild(r)).map((r) => r.groupId);
  await settleGroups(tx, {
    all: rows.map((r) => r.groupId),
    shared,
    waiting: [...shared, ...rows.filter((r) => r.evidence.length > 0).map((r) => r.groupId)],
  });
  const waiting = await getWaiting(
    tx,
    rows.map((r) => r.claimId),
  );
  for (const w of writes) {
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
) {
  const unwritten = new Map(plan.newGroups.map((g) => [g.groupId, g]));
  const written = new Set(plan.existingGroups);
  for (const write of plan.writes) {
    const group = unwritten.get(write.row.groupId);
    try {
      await tx.transaction((sp) => writeSet(sp, [write], group ? [group] : [], written, results));
      unwritten.delete(write.row.groupId);
      written.add(write.row.groupId);
    } catch (error) {
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

// The database's words may quote the record's values: only the error's code and constraint are kept.
function databaseReason(error: unknown): string {
  const e = error as { code?: string; constraint_name?: string; cause?: { code?: string; constraint_name?: string } };
  const code = e.code ?? e.cause?.code;
  const constraint = e.constraint_name ?? e.cause?.constraint_name;
  return code ? `database error ${code}${constraint ? ` (${constraint})` : ""}` : "unexpected error";
}

function logWriteError(error: unknown, records: number) {
  log.error({ records, reason: databaseReason(error) }, "ingest: set write failed");
}
