import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { getOpenConflicts } from "@/db/queries/ingest-reconcile";
import { getFilesWaiting, getRecentRefusals, getSourceSummaries } from "@/db/queries/ingest-sources";
import { renderMetrics } from "@/lib/metrics";
import { makeRecord, postRecords, postSubmissions, sourceSystem } from "../support/ingest-records";

// Issue #12.6, what the Sources page and /api/metrics read: each source's tallies by result, refused
// records stored with their reasons and never their values, files waiting, conflicts.

vi.hoisted(() => {
  process.env.INGEST_TOKENS = `test-ingest-token-${"k".repeat(32)}`;
});

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => close());

const SECRET = "Zzsecretname";
const HASH = randomBytes(32).toString("hex"); // a file no other run cites

describe("the Sources page's data", () => {
  it("counts each source's records by result and keeps refused records' reasons without their values", async () => {
    const system = sourceSystem();
    const good = makeRecord(system);
    const withEvidence = makeRecord(system, (r) => {
      r.evidence = [
        {
          sha256: HASH,
          fileName: "letter.pdf",
          contentType: "application/pdf",
          byteSize: 1000,
        },
      ] as never;
    });
    const bad = makeRecord(system, (r) => {
      r.veteran.lastName = `${SECRET}\u0000`;
      (r as { formType: string }).formType = "21-999";
    });
    const { body } = await postRecords([good, withEvidence, bad]);
    expect(body.counts).toMatchObject({ created: 2, refused: 1 });
    const beforeResend = (await getSourceSummaries(db)).find((s) => s.sourceSystem === system)?.lastReceivedAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await postRecords([good]); // unchanged, yet received
    // A line that is not JSON at all, quoting what it holds: only where it stopped is kept.
    await postSubmissions(`{"veteran": "${SECRET}" oops\n`, { contentType: "application/x-ndjson" });

    const summary = (await getSourceSummaries(db)).find((s) => s.sourceSystem === system);
    expect(summary).toMatchObject({
      records: 2,
      day: { created: 2, refused: 1, unchanged: 1 },
      week: { created: 2, refused: 1, unchanged: 1 },
    });
    expect(summary?.lastReceivedAt?.getTime()).toBeGreaterThan(beforeResend!.getTime());

    const { rows } = await getRecentRefusals(db, 50);
    const refused = rows.find((r) => r.sourceSystem === system && r.sourceId === bad.source.id);
    expect(refused?.way).toBe("api");
    expect(refused?.problems.map((p) => p.path)).toEqual(expect.arrayContaining(["formType", "veteran.lastName"]));
    const stored = await db.execute<{ n: number }>(sql`select count(*)::int as n from ingest_refusals
      where problems::text like ${`%${SECRET}%`}`);
    expect(stored[0].n).toBe(0);
    const unreadable = rows.find((r) => r.sourceSystem === null && r.problems[0]?.message.startsWith("not valid JSON"));
    expect(unreadable?.problems[0].message).toMatch(/^not valid JSON( \(at character \d+\))?$/);

    const waiting = await getFilesWaiting(db, 1000);
    expect(waiting.files.find((f) => f.sha256 === HASH)).toMatchObject({ claims: 1 });
    expect(waiting.claimsWaitingForEvidence).toBeGreaterThanOrEqual(1);
  });

  it("lists a conflict until a person settles it, and /api/metrics counts ingest", async () => {
    const system = sourceSystem();
    const v1 = makeRecord(system);
    const { body } = await postRecords([v1]);
    const claimId = body.results[0].claimId!;
    await db.execute(sql`insert into backup_submissions (claim_id, form_type, in_flight_since)
      values (${claimId}, '21-526EZ', now())`);
    await db.execute(sql`update saved_claims set triage_state = 'in_progress' where id = ${claimId}`);
    const v2 = structuredClone(v1);
    v2.source.updatedAt = new Date(Date.parse(v1.source.updatedAt) + 1000).toISOString();
    v2.primary.claimId = "600000001" as never;
    await postRecords([v2]);
    const open = await getOpenConflicts(db, 1000);
    expect(open.rows.find((c) => c.claimId === claimId)).toMatchObject({ outcome: "conflict", sourceId: v1.source.id });

    const metrics = await renderMetrics(db);
    expect(metrics).toMatch(/claim_triage_ingest_records_total\{result="created",way="api"\} \d+/);
    expect(metrics).toMatch(/claim_triage_ingest_conflicts [1-9]\d*/);
    expect(metrics).toMatch(/claim_triage_ingest_claims_waiting\{for="evidence"\} \d+/);
  });
});
