import type { Db } from "@/db/client";
import { type Refusal, recordIngestReceipt, type Tally } from "@/db/queries/ingest-sources";
import { incrementCounter } from "@/db/queries/metrics";
import type { RecordResult } from "./prepare-records";

// After each chunk: what came in, by source, result and way (the Sources page's tallies and the
// /api/metrics counters), and every refused record's reasons. Only the source's identity, the path
// and the reason are kept — never a value from the record, which may be PII (our own messages name
// limits and expected shapes, not what was sent).

export type IngestWay = "api" | "file" | "reevaluate" | "seed";

const MAX_PROBLEMS = 20;
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// JSON.parse's own words quote the text it could not read (lib/ingest/lines.ts passes them on to the
// sender): stored, only where it stopped is kept.
function storableMessage(message: string): string {
  if (!message.startsWith("not valid JSON")) return cut(message, 300);
  const at = /position (\d+)/.exec(message);
  return `not valid JSON${at ? ` (at character ${at[1]})` : ""}`;
}

export async function recordReceipt(db: Db, results: readonly RecordResult[], way: IngestWay) {
  if (results.length === 0) return;
  const tallies = new Map<string, Tally>();
  const byResult = new Map<string, number>();
  const refusals: Refusal[] = [];
  for (const r of results) {
    const system = r.sourceSystem ?? "";
    const key = `${system}\u0000${r.result}`;
    const tally = tallies.get(key) ?? { sourceSystem: system, result: r.result, way, count: 0 };
    tally.count++;
    tallies.set(key, tally);
    byResult.set(r.result, (byResult.get(r.result) ?? 0) + 1);
    if (r.result === "refused")
      refusals.push({
        sourceSystem: r.sourceSystem ?? null,
        sourceId: r.sourceId ?? null,
        way,
        problems: r.problems
          .slice(0, MAX_PROBLEMS)
          .map((p) => ({ path: cut(p.path, 200), message: storableMessage(p.message) })),
      });
  }
  await db.transaction(async (tx) => {
    await recordIngestReceipt(tx, [...tallies.values()], refusals);
    for (const [result, n] of byResult)
      await incrementCounter(tx, "claim_triage_ingest_records_total", { result, way }, n);
  });
}
