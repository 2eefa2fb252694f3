import type { DbOrTx } from "@/db/client";
import type { IngestClaimRow, NewIngestGroup } from "@/db/queries/ingest-claims";
import {
  allocateIds,
  getGuidOwners,
  getHeldRecords,
  getIngestGroups,
  sourceKeyText,
} from "@/db/queries/ingest-records";
import type { MappedRecord } from "./map-record";
import type { Pending, RecordResult } from "./prepare-records";

// What each prepared record will do, decided under the ingest lock against what is held: nothing
// (the same record again, or an older version), an update of its claim, or a new claim; a record
// whose confirmation guid another claim holds is refused here. Ids are drawn ahead, so a child can
// point at its parent's claim and a group at its parent claim in the same statements.

export type Write = { pending: Pending; row: IngestClaimRow; kind: "created" | "updated" };

// How a refusal for a guid another record of the same chunk took begins (a decision within the chunk).
export const WITHIN_CHUNK = "also the confirmation number of item";

export const isChild = (row: { parentSourceId: string; sourceId: string }) => row.parentSourceId !== row.sourceId;

const groupKeyOf = (m: MappedRecord) => sourceKeyText({ system: m.sourceSystem, id: m.parentSourceId });

export async function planWrites(tx: DbOrTx, pending: Pending[], results: Map<number, RecordResult>) {
  const held = new Map(
    (
      await getHeldRecords(
        tx,
        pending.map((p) => ({ system: p.mapped.sourceSystem, id: p.mapped.sourceId })),
      )
    ).map((h) => [sourceKeyText({ system: h.sourceSystem, id: h.sourceId }), h]),
  );
  const toWrite: { pending: Pending; claimId?: number; previousParkedReason: string | null }[] = [];
  for (const p of pending) {
    const { mapped } = p;
    const old = held.get(sourceKeyText({ system: mapped.sourceSystem, id: mapped.sourceId }));
    const base = { index: p.index, sourceSystem: mapped.sourceSystem, sourceId: mapped.sourceId };
    // The same content is unchanged unless time alone moved it to another rule (a claim in process
    // three weeks on is failed): then it is written again, as an update.
    if (old && old.contentSha256 === mapped.contentSha256 && old.rule === mapped.rule) {
      results.set(p.index, { ...base, result: "unchanged", claimId: old.claimId, waitingFor: null });
    } else if (old && Date.parse(mapped.sourceUpdatedAt) < old.sourceUpdatedAt.getTime()) {
      results.set(p.index, {
        ...base,
        result: "unchanged",
        claimId: old.claimId,
        waitingFor: null,
        note: `older than the version held (source.updatedAt ${old.sourceUpdatedAt.toISOString()})`,
      });
    } else toWrite.push({ pending: p, claimId: old?.claimId, previousParkedReason: old?.parkedReason ?? null });
  }

  // A confirmation guid names one claim: taking one another claim holds is refused.
  const owners = await getGuidOwners(
    tx,
    toWrite.map((w) => w.pending.mapped.guid),
  );
  const guidTaken = new Map<string, number>();
  const accepted = toWrite.filter((w) => {
    const { guid } = w.pending.mapped;
    const owner = owners.get(guid);
    const earlier = guidTaken.get(guid);
    const problem =
      owner !== undefined && owner !== w.claimId
        ? `already the confirmation number of claim ${owner}, which came from another record`
        : earlier !== undefined
          ? `${WITHIN_CHUNK} ${earlier} in this request`
          : null;
    if (problem) {
      results.set(w.pending.index, {
        index: w.pending.index,
        sourceSystem: w.pending.mapped.sourceSystem,
        sourceId: w.pending.mapped.sourceId,
        result: "refused",
        problems: [{ path: "confirmationGuid", message: problem }],
      });
      return false;
    }
    guidTaken.set(guid, w.pending.index);
    return true;
  });

  // Claims' ids are drawn now, so children can point at their parent and groups at their parent claim.
  const fresh = accepted.filter((w) => w.claimId === undefined);
  const claimIds = await allocateIds(tx, "saved_claims", fresh.length);
  fresh.forEach((w, i) => {
    w.claimId = claimIds[i];
  });

  // Groups by (system, parent id), made for the keys not seen before, from their parent's row if
  // it came along (its status, its claim).
  const groupRows = new Map<string, (typeof accepted)[number]>();
  for (const w of accepted) {
    const key = groupKeyOf(w.pending.mapped);
    const seen = groupRows.get(key);
    if (!seen || w.pending.mapped.parentSourceId === w.pending.mapped.sourceId) groupRows.set(key, w);
  }
  const groups = await getIngestGroups(
    tx,
    [...groupRows.values()].map((w) => ({
      system: w.pending.mapped.sourceSystem,
      id: w.pending.mapped.parentSourceId,
    })),
  );
  const existingGroups = new Set(groups.values());
  const missingGroups = [...groupRows.entries()].filter(([key]) => !groups.has(key));
  const groupIds = await allocateIds(tx, "claim_groups", missingGroups.length);
  const newGroups: NewIngestGroup[] = missingGroups.map(([key, w], i) => {
    groups.set(key, groupIds[i]);
    const { mapped } = w.pending;
    const isParent = mapped.parentSourceId === mapped.sourceId;
    return {
      groupId: groupIds[i],
      sourceSystem: mapped.sourceSystem,
      parentSourceId: mapped.parentSourceId,
      status: mapped.groupStatus,
      parentClaimId: isParent ? w.claimId! : null,
    };
  });

  const claimOf = new Map(
    accepted.map((w) => [
      sourceKeyText({ system: w.pending.mapped.sourceSystem, id: w.pending.mapped.sourceId }),
      w.claimId!,
    ]),
  );
  const orphans = accepted.filter(
    (w) =>
      w.pending.mapped.parentSourceId !== w.pending.mapped.sourceId &&
      !claimOf.has(sourceKeyText({ system: w.pending.mapped.sourceSystem, id: w.pending.mapped.parentSourceId })),
  );
  for (const parent of await getHeldRecords(
    tx,
    orphans.map((w) => ({ system: w.pending.mapped.sourceSystem, id: w.pending.mapped.parentSourceId })),
  ))
    claimOf.set(sourceKeyText({ system: parent.sourceSystem, id: parent.sourceId }), parent.claimId);

  const writes: Write[] = accepted.map((w) => {
    const { mapped } = w.pending;
    const claimId = w.claimId!;
    const parentClaim = claimOf.get(sourceKeyText({ system: mapped.sourceSystem, id: mapped.parentSourceId }));
    return {
      pending: w.pending,
      kind: held.has(sourceKeyText({ system: mapped.sourceSystem, id: mapped.sourceId })) ? "updated" : "created",
      // Object.assign, not a spread: spreading records this wide cost 10 µs each (50 ms a chunk,
      // while PostgreSQL waits for the chunk's first statement); assign copies the same in a fifth.
      row: Object.assign({}, mapped, {
        stageKey: w.pending.index,
        claimId,
        groupId: groups.get(groupKeyOf(mapped))!,
        mainClaimId: parentClaim ?? claimId,
        previousParkedReason: w.previousParkedReason,
      }),
    };
  });
  // Parents first, so a write that falls back to one record at a time finds a child's main claim.
  writes.sort((a, b) => Number(isChild(a.row)) - Number(isChild(b.row)));
  return { writes, newGroups, existingGroups };
}

// The duplicate rule (db/queries/ingest-groups.ts, markDuplicates) among new claims alone: of one
// veteran's main claims of one form that are not excluded, the newest stands and the others never
// tried yet are its duplicates. A bulk load writes them so at once rather than as never tried and
// then again (every index of the table twice, and a dead row for the vacuum to clear from all of
// them): the rule, run over the chunk under the lock as before, then finds nothing to change. Where
// a claim held before changes the answer, or lower() and toLowerCase() differ, the rule corrects it.
// As the rule orders them: submitted later, then the higher claim id.
const newer = (a: IngestClaimRow, b: IngestClaimRow) =>
  Date.parse(a.submittedAt) - Date.parse(b.submittedAt) || a.claimId - b.claimId;

export function duplicatesAmong(rows: readonly IngestClaimRow[]): Map<number, number> {
  const byKey = new Map<string, IngestClaimRow[]>();
  for (const r of rows) {
    if (r.mainClaimId !== r.claimId || r.state === "excluded") continue;
    const key = `${r.fileNumber}\u0000${r.lastName.toLowerCase()}\u0000${r.formType}`;
    const same = byKey.get(key);
    if (same) same.push(r);
    else byKey.set(key, [r]);
  }
  const duplicateOf = new Map<number, number>();
  for (const same of byKey.values()) {
    if (same.length < 2) continue;
    const keeper = same.reduce((a, b) => (newer(a, b) >= 0 ? a : b));
    for (const r of same) if (r !== keeper && r.state === "never_tried") duplicateOf.set(r.claimId, keeper.claimId);
  }
  return duplicateOf;
}
