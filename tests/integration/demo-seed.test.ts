import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { evaluateAlertRules } from "@/lib/alerts/rules";
import { DEMO_SOURCE, runSeed } from "@/lib/demo-seed";
import { RULES } from "@/lib/ingest/classify";
import { createDocumentStorage } from "@/lib/pdf/storage";
import { createThrowawayDatabase } from "../support/throwaway-database";

// The demo goes through the front door (issue #12): every seeded claim is an ingest record the
// import classified, the console's history sits only on claims the import found failed, and the
// evidence the records cite has arrived, so nothing waits. On a database of its own, so the counts
// are the seed's alone.

const CLAIMS = 2_500;
let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
let sql: postgres.Sql;
let storageDir: string;

beforeAll(async () => {
  database = await createThrowawayDatabase("demo_seed");
  storageDir = mkdtempSync(path.join(os.tmpdir(), "demo-seed-"));
  await migrateDatabase(database.url);
  await runSeed(database.url, { claims: CLAIMS, storage: createDocumentStorage(storageDir) });
  sql = postgres(database.url, { max: 2, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await database?.drop();
  rmSync(storageDir, { recursive: true, force: true });
});

describe("the demo seed", () => {
  it("brings every claim in as an ingest record of the demo source, classified, and tallied as the seed's", async () => {
    const [counts] = await sql<{ claims: number; records: number; classified: number }[]>`
      select (select count(*) from saved_claims)::int as claims,
        (select count(*) from ingest_records where source_system = ${DEMO_SOURCE} and claim_id is not null)::int as records,
        (select count(*) from saved_claims where classification_rule is not null)::int as classified`;
    expect(counts.claims).toBeGreaterThanOrEqual(CLAIMS);
    expect(counts).toEqual({ claims: counts.claims, records: counts.claims, classified: counts.claims });
    const [tally] = await sql<{ created: number }[]>`
      select coalesce(sum(count), 0)::int as created from ingest_tallies
      where source_system = ${DEMO_SOURCE} and way = 'seed' and result = 'created'`;
    expect(tally.created).toBe(counts.claims);
    const [refused] = await sql<{ n: number }[]>`select count(*)::int as n from ingest_refusals`;
    expect(refused.n).toBe(0);
  });

  it("covers every classification rule, duplicates of the same form, and evidence that has arrived", async () => {
    const rules = await sql<{ rule: string }[]>`select distinct rule from ingest_records`;
    expect(rules.map((r) => r.rule).sort()).toEqual(Object.keys(RULES).sort());
    const mixed = await sql<{ duplicate_of_other_form: number; duplicates: number; attachments: number }[]>`
      select (select count(*) from saved_claims d join saved_claims k on k.id = d.duplicate_of
                where d.form_type <> k.form_type)::int as duplicate_of_other_form,
        (select count(*) from saved_claims where triage_state = 'duplicate')::int as duplicates,
        (select count(*) from persistent_attachments)::int as attachments`;
    expect(mixed[0].duplicate_of_other_form).toBe(0);
    expect(mixed[0].duplicates).toBeGreaterThan(0);
    expect(mixed[0].attachments).toBeGreaterThan(0);
    const [waiting] = await sql<
      { n: number }[]
    >`select count(*)::int as n from saved_claims where waiting_for is not null`;
    expect(waiting.n).toBe(0);
  });

  it("puts the console batches' history only on main claims the import classified as failed", async () => {
    const items = await sql<{ category: string; main: boolean; n: number }[]>`
      select r.category, (c.main_claim_id is null or c.main_claim_id = c.id) as main, count(*)::int as n
      from batch_items i join saved_claims c on c.id = i.claim_id join ingest_records r on r.claim_id = c.id
      group by 1, 2`;
    expect(items.map(({ category, main }) => ({ category, main }))).toEqual([{ category: "failed", main: true }]);
    expect(items[0].n).toBeGreaterThan(0);
    // Each group shares its main claim's outcome; nothing the source resolved was re-submitted.
    const [mismatched] = await sql<{ n: number }[]>`
      select count(*)::int as n from saved_claims c join saved_claims m on m.id = c.main_claim_id
      where c.triage_state <> m.triage_state and m.triage_state in ('confirmed', 'failed')`;
    expect(mismatched.n).toBe(0);
    const states = await sql<{ triage_state: string }[]>`
      select distinct triage_state::text from saved_claims order by 1`;
    expect(states.map((s) => s.triage_state)).toEqual([
      "confirmed",
      "duplicate",
      "excluded",
      "failed",
      "never_tried",
      "resolved_elsewhere",
    ]);
  });

  it("is a backlog, not growth: no failure group grew in the last hour by loading it", async () => {
    const { db, close } = createDb(database.url, { max: 1 });
    try {
      const firing = await evaluateAlertRules(db, {
        batchStallMinutes: 30,
        groupGrowthPerHour: 25,
        intake5xxPercent: 20,
        intakeMinCalls: 20,
      });
      expect(firing.filter((f) => f.rule === "group_grew")).toEqual([]);
      // The silent failures the demo is about do fire: black holes nobody told.
      expect(firing.map((f) => f.rule)).toContain("silent_failures");
    } finally {
      await close();
    }
  });

  it("starts the burn-down from today's outstanding claims, and runs once per database", async () => {
    const [{ outstanding }] = await sql<{ outstanding: number }[]>`
      select count(*)::int as outstanding from saved_claims where triage_state in ('never_tried', 'failed')`;
    const [yesterday] = await sql<{ outstanding: number }[]>`
      select outstanding from outstanding_daily order by day desc limit 1`;
    expect(yesterday.outstanding).toBe(outstanding);
    await runSeed(database.url, { claims: CLAIMS, storage: createDocumentStorage(storageDir) });
    const [again] = await sql<{ n: number }[]>`select count(*)::int as n from saved_claims`;
    const [records] = await sql<{ n: number }[]>`select count(*)::int as n from ingest_records`;
    expect(again.n).toBe(records.n);
    expect(again.n).toBeLessThan(CLAIMS + 10);
  });
});
