import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { auditEvents, batches, batchItems, savedClaims, users } from "@/db/schema";
import { confirmRetryListImport, ImportChangedError, previewRetryList } from "@/lib/batches/import-retry-list";
import { parseRetryList, RetryListFileError } from "@/lib/batches/parse-retry-list";
import { createClaimGroup, testVeteran } from "../support/claims-factory";

// Import of a reviewed retry list against the real database: every kind of bad row is reported,
// a malformed file creates nothing, and confirmation creates exactly the reviewed draft batch.

const url = process.env.DATABASE_URL!;
const { db, close } = createDb(url, { max: 4 });
let admin: { id: number; email: string };

beforeAll(async () => {
  const [row] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(users.email, "admin@example.com"));
  admin = row;
});
afterAll(async () => close());

const encoder = new TextEncoder();
async function* bytes(...chunks: (string | Uint8Array)[]) {
  for (const c of chunks) yield typeof c === "string" ? encoder.encode(c) : c;
}
const file = (text: string, name = "retry.csv") => ({ name, bytes: bytes(text) });
const batchCount = async () => Number((await db.select({ n: sql<number>`count(*)::int` }).from(batches))[0].n);

describe("parsing a retry list", () => {
  it("reads a header with notes, quoted commas, blank lines and a BOM", async () => {
    const parsed = await parseRetryList(
      bytes('\uFEFFclaim_id,note\r\n12, first \r\n\r\n13,"ticket 42, reviewed"\n14\n'),
    );
    expect(parsed.hasHeader).toBe(true);
    expect(parsed.rows).toEqual([
      { line: 2, claimIdText: "12", note: "first" },
      { line: 4, claimIdText: "13", note: "ticket 42, reviewed" },
      { line: 5, claimIdText: "14", note: null },
    ]);
  });

  it("accepts a list without a header, split across chunks anywhere", async () => {
    const parsed = await parseRetryList(bytes("1", "0\n2", "0,n", "ote\n"));
    expect(parsed.hasHeader).toBe(false);
    expect(parsed.rows.map((r) => [r.claimIdText, r.note])).toEqual([
      ["10", null],
      ["20", "note"],
    ]);
  });

  const malformed: [string, () => AsyncIterable<Uint8Array>, RegExp, { maxBytes?: number; maxRows?: number }?][] = [
    ["an empty file", () => bytes(""), /empty/],
    ["only a header", () => bytes("claim_id,note\n"), /no claim ids/],
    ["a binary file", () => bytes(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0xff])), /not UTF-8 text/],
    ["UTF-16 text", () => bytes(new Uint8Array([0xff, 0xfe, 0x31, 0x00, 0x0a, 0x00])), /not UTF-8 text/],
    ["Latin-1 text", () => bytes(new Uint8Array([0x31, 0x2c, 0xe9, 0x74, 0xe9, 0x0a])), /not UTF-8 text/],
    ["the wrong header", () => bytes("name,email\nAda,a@example.com\n"), /first row must be the header/],
    ["an extra header column", () => bytes("claim_id,note,ssn\n1,x,123\n"), /header must be/],
    ["a row with three columns", () => bytes("claim_id,note\n1,a\n2,b,c\n"), /Row 3 has 3 columns/],
    ["an unclosed quote", () => bytes('claim_id,note\n1,"open\n'), /not valid CSV/],
    ["a file over the size limit", () => bytes("claim_id\n", "1\n".repeat(100)), /larger than/, { maxBytes: 64 }],
    ["too many rows", () => bytes("1\n2\n3\n4\n"), /more than 3 rows/, { maxRows: 3 }],
  ];
  for (const [what, source, message, limits] of malformed) {
    it(`refuses ${what} with a clear message`, async () => {
      const error = await parseRetryList(source(), limits).catch((e) => e);
      expect(error).toBeInstanceOf(RetryListFileError);
      expect(error.message).toMatch(message);
    });
  }
});

describe("reviewing and importing a retry list", () => {
  it("reports every row, and creates the reviewed draft batch only on confirmation", async () => {
    const plain = await createClaimGroup(db);
    const dependents = await createClaimGroup(db, { dependents: true, students: 2 });
    const veteran = testVeteran();
    const older = await createClaimGroup(db, { veteran, submittedAt: new Date("2021-03-01T10:00:00Z") });
    const newer = await createClaimGroup(db, { veteran, submittedAt: new Date("2022-03-01T10:00:00Z") });
    const excluded = await createClaimGroup(db);
    await db
      .update(savedClaims)
      .set({ triageState: "excluded", excludedReason: "test" })
      .where(eq(savedClaims.mainClaimId, excluded.mainClaimId));
    const confirmed = await createClaimGroup(db);
    await db
      .update(savedClaims)
      .set({ triageState: "confirmed", blackHole: false })
      .where(eq(savedClaims.mainClaimId, confirmed.mainClaimId));
    const duplicate = await createClaimGroup(db);
    await db
      .update(savedClaims)
      .set({ triageState: "duplicate", duplicateOf: plain.mainClaimId })
      .where(eq(savedClaims.mainClaimId, duplicate.mainClaimId));
    const [{ max }] = await db.select({ max: sql<number>`max(id)::int` }).from(savedClaims);
    const child674 = dependents.claimIds[1];

    const csv = [
      "claim_id,note",
      `${plain.mainClaimId},first pass`, // 2 accepted
      `${child674},school child`, // 3 mapped to its 686c
      `${plain.mainClaimId},again`, // 4 duplicate in the file
      "abc", // 5 not a number
      `${Number(max) + 1000}`, // 6 unknown
      `${confirmed.mainClaimId}`, // 7 already confirmed
      `${excluded.mainClaimId}`, // 8 excluded
      `${older.mainClaimId}`, // 9 same veteran, older: reported
      `${newer.mainClaimId},newest`, // 10 same veteran, newer: kept
      `${dependents.claimIds[2]}`, // 11 the other 674 of the same 686c: already carried
      `${duplicate.mainClaimId}`, // 12 marked a duplicate
      "-5", // 13 not a number
    ].join("\n");

    const before = await batchCount();
    const report = await previewRetryList(db, file(csv), { dedupe: "newest" });
    expect(await batchCount()).toBe(before); // a preview creates nothing

    const outcomeOf = (line: number) =>
      [...report.problemRows, ...report.acceptedSample].find((r) => r.line === line)?.outcome;
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map(outcomeOf)).toEqual([
      "accepted",
      "mapped_674",
      "duplicate_in_file",
      "not_a_number",
      "unknown_id",
      "already_confirmed",
      "excluded",
      "duplicate_claim",
      "accepted",
      "duplicate_in_file",
      "duplicate_claim",
      "not_a_number",
    ]);
    expect(report.acceptedCount).toBe(3);
    expect(report.counts).toMatchObject({
      accepted: 2,
      mapped_674: 1,
      duplicate_in_file: 2,
      not_a_number: 2,
      unknown_id: 1,
      already_confirmed: 1,
      excluded: 1,
      duplicate_claim: 2,
    });
    expect(report.problemRows.find((r) => r.line === 9)?.message).toContain(`claim #${newer.mainClaimId}`);

    // Keeping every claim of a veteran accepts the older one too.
    const keepAll = await previewRetryList(db, file(csv), { dedupe: "keep_all" });
    expect(keepAll.acceptedCount).toBe(4);

    // A stale review is refused: the hash of what was reviewed must match.
    const stale = await confirmRetryListImport(db, {
      file: file(csv),
      options: { dedupe: "newest" },
      reviewedHash: keepAll.acceptedHash,
      name: "x",
      reason: "r",
      ratePerMinute: 60,
      user: admin,
    }).catch((e) => e);
    expect(stale).toBeInstanceOf(ImportChangedError);
    expect(await batchCount()).toBe(before);

    const created = await confirmRetryListImport(db, {
      file: file(csv),
      options: { dedupe: "newest" },
      reviewedHash: report.acceptedHash,
      name: "Reviewed list",
      reason: "TICKET-1",
      ratePerMinute: 120,
      user: admin,
      origin: { ip: "127.0.0.1", userAgent: "vitest" },
    });
    expect(created.itemCount).toBe(3);
    const [batch] = await db.select().from(batches).where(eq(batches.id, created.batchId));
    expect(batch).toMatchObject({
      state: "draft",
      source: "import",
      reason: "TICKET-1",
      ratePerMinute: 120,
      itemCount: 3,
    });
    const items = await db
      .select({ claimId: batchItems.claimId, note: batchItems.note, state: batchItems.state })
      .from(batchItems)
      .where(eq(batchItems.batchId, created.batchId))
      .orderBy(batchItems.claimId);
    expect(items).toEqual(
      [
        { claimId: plain.mainClaimId, note: "first pass", state: "pending" },
        { claimId: dependents.mainClaimId, note: "school child", state: "pending" },
        { claimId: newer.mainClaimId, note: "newest", state: "pending" },
      ].sort((a, b) => a.claimId - b.claimId),
    );
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.batchId, created.batchId), eq(auditEvents.action, "batch.import")));
    expect(audit).toMatchObject({ userEmail: "admin@example.com", claimCount: 3, reason: "TICKET-1", ip: "127.0.0.1" });
    expect(audit.details).toMatchObject({ fileName: "retry.csv", rows: 12 });
  });

  it("creates nothing from a malformed file, even on confirmation", async () => {
    const before = await batchCount();
    const auditsBefore = Number((await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents))[0].n);
    const error = await confirmRetryListImport(db, {
      file: { name: "x.csv", bytes: bytes(new Uint8Array([0x00, 0x01, 0x02])) },
      options: { dedupe: "newest" },
      reviewedHash: "0".repeat(64),
      name: "x",
      reason: "r",
      ratePerMinute: 60,
      user: admin,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(RetryListFileError);
    expect(await batchCount()).toBe(before);
    expect(Number((await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents))[0].n)).toBe(auditsBefore);
  });

  it("handles a long list in one pass: 20,000 rows, their ids looked up in one statement", async () => {
    const ids = (await db.select({ id: savedClaims.id }).from(savedClaims).limit(20_000)).map((r) => r.id);
    const rows = Array.from({ length: 20_000 }, (_, i) => String(ids[i % ids.length]));
    const report = await previewRetryList(db, file(rows.join("\n")), { dedupe: "keep_all" });
    expect(report.totalRows).toBe(20_000);
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(20_000);
  });
});
