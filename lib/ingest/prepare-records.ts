import { setImmediate as yieldToLoop } from "node:timers/promises";
import { sourceKeyText } from "@/db/queries/ingest-records";
import { classifySubmission } from "./classify";
import { type MappedRecord, mapRecord, stageLine } from "./map-record";
import { type Problem, validateRecord } from "./validate";

// The first half of every import (lib/ingest/write-records.ts writes the second): each record is
// validated, classified and mapped, and within one chunk the newest version of a record wins. No
// database: a chunk is prepared while the one before it is being written, and the work yields to
// the event loop every 50 records (a few milliseconds) so that write keeps moving: each of its
// statements waits for the slice under way before its answer is read.

export type IngestItem = { index: number; value: unknown } | { index: number; problems: Problem[] };

type Stored = { result: "created" | "updated" | "unchanged"; claimId: number; waitingFor: string | null };
export type StoredResult = RecordResult & Stored;
export type RecordResult = { index: number; sourceSystem?: string; sourceId?: string; note?: string } & (
  | Stored
  | { result: "refused"; problems: Problem[] }
);

// `body`: the record's form data and the rest of it as received, as the COPY line its staging sends.
export type Pending = { index: number; mapped: MappedRecord; body: string; superseded: number[] };
export type PreparedChunk = { pending: Pending[]; results: Map<number, RecordResult> };

const SLICE = 50;

export function refusal(index: number, problems: Problem[], mapped?: MappedRecord): RecordResult {
  return { index, sourceSystem: mapped?.sourceSystem, sourceId: mapped?.sourceId, result: "refused", problems };
}

export async function prepareRecords(items: readonly IngestItem[], now = new Date()): Promise<PreparedChunk> {
  const results = new Map<number, RecordResult>();
  const byKey = new Map<string, Pending>();
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % SLICE === 0) await yieldToLoop();
    if ("problems" in item) {
      results.set(item.index, refusal(item.index, item.problems));
      continue;
    }
    const checked = validateRecord(item.value);
    if (!checked.ok) {
      const source = (item.value as { source?: { system?: unknown; id?: unknown } } | null)?.source;
      results.set(item.index, {
        index: item.index,
        ...(typeof source?.system === "string" ? { sourceSystem: source.system.slice(0, 64) } : {}),
        ...(typeof source?.id === "string" ? { sourceId: source.id.slice(0, 128) } : {}),
        result: "refused",
        problems: checked.problems,
      });
      continue;
    }
    const mapped = mapRecord(checked.value, classifySubmission(checked.value.record, now));
    const body = stageLine(item.index, checked.value);
    const key = sourceKeyText({ system: mapped.sourceSystem, id: mapped.sourceId });
    const held = byKey.get(key);
    if (!held) byKey.set(key, { index: item.index, mapped, body, superseded: [] });
    else if (Date.parse(mapped.sourceUpdatedAt) >= Date.parse(held.mapped.sourceUpdatedAt)) {
      byKey.set(key, { index: item.index, mapped, body, superseded: [...held.superseded, held.index] });
    } else held.superseded.push(item.index);
  }
  return { pending: [...byKey.values()], results };
}
