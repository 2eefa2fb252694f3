import { randomBytes, randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { idArray } from "@/db/bind-array";
import { createDb } from "@/db/client";
import { refreshWaiting } from "@/db/queries/ingest-groups";
import { createIngestSample } from "@/db/seed/ingest-sample";
import type { StoredResult } from "@/lib/ingest/prepare-records";
import { ingestRecords } from "@/lib/ingest/write-records";
import { sourceSystem } from "../support/ingest-records";

// A new claim is written with the waiting_for the waiting rule (refreshWaiting) would give it, so
// the rule has nothing to update after a bulk import. The rule runs only over groups that may wait:
// a value it would change must never be left behind. Over the sample's mix: evidence not received,
// 686c groups whose 674s arrive first (waiting for their parent), then with their parents.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => close());

type SampleRecord = { source: { id: string }; claimGroup?: { parentId: string } };
const isChild = (r: SampleRecord) => r.claimGroup !== undefined && r.claimGroup.parentId !== r.source.id;

async function waitingOf(system: string) {
  const rows = await db.execute<{ group_id: string; waiting_for: string | null }>(sql`
    select c.group_id, c.waiting_for from saved_claims c join ingest_records r on r.claim_id = c.id
    where r.source_system = ${system}`);
  return { groups: [...new Set(rows.map((r) => Number(r.group_id)))], values: rows.map((r) => r.waiting_for) };
}

// What the rule would still change: nothing, if the claims were written as it decides.
async function ruleWouldChange(groups: number[]) {
  let changed: unknown[] = [];
  await db
    .transaction(async (tx) => {
      changed = await refreshWaiting(tx, sql`select id from saved_claims where group_id = any(${idArray(groups)})`);
      throw new Error("rollback");
    })
    .catch(() => {});
  return changed;
}

// Each result says what its claim waits for as the database holds it when the write is done (its
// main claim's waiting_for). The import reads back only the claims that may wait (write-records.ts).
async function ingestAndCompare(items: { index: number; value: unknown }[]) {
  const results = (await ingestRecords(db, items, "api")).filter((r): r is StoredResult => r.result === "created");
  expect(results).toHaveLength(items.length);
  const stored = await db.execute<{ id: string; waiting_for: string | null }>(sql`
    select c.id, m.waiting_for from saved_claims c join saved_claims m on m.id = c.main_claim_id
    where c.id = any(${idArray(results.map((r) => r.claimId))})`);
  const byClaim = new Map(stored.map((r) => [Number(r.id), r.waiting_for]));
  expect(results.map((r) => r.waitingFor)).toEqual(results.map((r) => byClaim.get(r.claimId)));
}

describe("waiting_for on new claims", () => {
  it("is what the waiting rule decides, for evidence and for children that came before their parent, and what each result reports", async () => {
    const system = sourceSystem();
    const missing = randomBytes(32).toString("hex");
    const next = createIngestSample({
      seed: randomInt(1, 1_000_000_000),
      system,
      evidenceFiles: [{ sha256: missing, fileName: "letter.png", contentType: "image/png", byteSize: 10 }],
    });
    const records: SampleRecord[] = [];
    while (records.length < 800) records.push(...(next() as SampleRecord[]));
    const items = (list: SampleRecord[]) => list.map((value, index) => ({ index, value }));

    await ingestAndCompare(items(records.filter(isChild)));
    const first = await waitingOf(system);
    expect(first.values).toContain("parent_claim");
    expect(await ruleWouldChange(first.groups)).toEqual([]);

    const rest = records.filter((r) => !isChild(r));
    for (let i = 0; i < rest.length; i += 300) await ingestAndCompare(items(rest.slice(i, i + 300)));
    const all = await waitingOf(system);
    expect(all.values).toContain("evidence");
    expect(await ruleWouldChange(all.groups)).toEqual([]);
  });
});
