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

// One chunk's records, prepared one at a time as they are read: each record's parsed form is
// validated, classified and mapped at once and then dropped, so it dies young, and a chunk keeps
// only what it writes (the mapped columns and the COPY line). A chunk's 10,000 parsed records kept
// until the chunk was full outlived V8's young generation, and copying and marking them was most of
// the import's garbage collection.
export class ChunkPreparer {
  private readonly results = new Map<number, RecordResult>();
  private readonly byKey = new Map<string, Pending>();
  private added = 0;

  constructor(private readonly now = new Date()) {}

  get size() {
    return this.added;
  }

  async add(item: IngestItem): Promise<void> {
    if (this.added > 0 && this.added % SLICE === 0) await yieldToLoop();
    this.added++;
    if ("problems" in item) {
      this.results.set(item.index, refusal(item.index, item.problems));
      return;
    }
    const checked = validateRecord(item.value);
    if (!checked.ok) {
      const source = (item.value as { source?: { system?: unknown; id?: unknown } } | null)?.source;
      this.results.set(item.index, {
        index: item.index,
        ...(typeof source?.system === "string" ? { sourceSystem: source.system.slice(0, 64) } : {}),
        ...(typeof source?.id === "string" ? { sourceId: source.id.slice(0, 128) } : {}),
        result: "refused",
        problems: checked.problems,
      });
      return;
    }
    const mapped = mapRecord(checked.value, classifySubmission(checked.value.record, this.now));
    const body = stageLine(item.index, checked.value);
    const key = sourceKeyText({ system: mapped.sourceSystem, id: mapped.sourceId });
    const held = this.byKey.get(key);
    if (!held) this.byKey.set(key, { index: item.index, mapped, body, superseded: [] });
    else if (Date.parse(mapped.sourceUpdatedAt) >= Date.parse(held.mapped.sourceUpdatedAt)) {
      this.byKey.set(key, { index: item.index, mapped, body, superseded: [...held.superseded, held.index] });
    } else held.superseded.push(item.index);
  }

  finish(): PreparedChunk {
    return { pending: [...this.byKey.values()], results: this.results };
  }
}

export async function prepareRecords(items: readonly IngestItem[], now = new Date()): Promise<PreparedChunk> {
  const chunk = new ChunkPreparer(now);
  for (const item of items) await chunk.add(item);
  return chunk.finish();
}
