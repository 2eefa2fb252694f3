import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { textArray } from "@/db/bind-array";
import { createDb } from "@/db/client";
import { claimsWhere, getClaimsPage } from "@/db/queries/claims-list";
import { receivedRecordSql } from "@/db/queries/ingest-records";
import {
  footprint,
  makeRecord,
  OTHER_TOKEN,
  postRecords,
  postSubmissions,
  sourceSystem,
  TOKEN,
} from "../support/ingest-records";

// Issue #12, the ingest API through its route handlers with real Requests and the real database:
// the published schema, the service tokens (rotation included), a JSON array and NDJSON, one result
// per record, idempotency over 1,000 records, and hostile bodies and records refused with every
// reason and nothing written.

vi.hoisted(() => {
  process.env.INGEST_TOKENS = `test-ingest-token-${"k".repeat(32)}, test-ingest-rotated-${"r".repeat(32)}`;
});

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => close());

describe("GET /api/ingest/schema", () => {
  it("publishes the JSON Schema generated from the contract", async () => {
    const { GET } = await import("@/app/api/ingest/schema/route");
    const response = GET();
    expect(response.headers.get("content-type")).toBe("application/schema+json");
    const schema = await response.json();
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.properties.schemaVersion).toEqual({ type: "number", const: 1 });
    expect(schema.properties.source.required).toEqual(["system", "table", "id", "updatedAt"]);
  });
});

describe("service tokens", () => {
  it("refuses a missing or wrong token, and writes nothing", async () => {
    const system = sourceSystem();
    const body = JSON.stringify([makeRecord(system)]);
    for (const token of [null, "wrong-token-wrong-token-wrong-token-x", `${TOKEN}x`]) {
      const response = await postSubmissions(body, { token });
      expect(response.status).toBe(401);
      expect(response.body.error).toMatch(/ingest token/);
    }
    expect((await footprint(db, system)).records).toBe(0);
  });

  it("accepts every configured token, and no longer the one rotated out", async () => {
    expect((await postRecords([makeRecord(sourceSystem())], OTHER_TOKEN)).status).toBe(200);
    vi.resetModules();
    const before = process.env.INGEST_TOKENS;
    process.env.INGEST_TOKENS = TOKEN; // the rotated token is removed and the app restarted
    try {
      const system = sourceSystem();
      expect((await postRecords([makeRecord(system)], OTHER_TOKEN)).status).toBe(401);
      expect((await footprint(db, system)).records).toBe(0);
      expect((await postRecords([makeRecord(system)], TOKEN)).status).toBe(200);
    } finally {
      process.env.INGEST_TOKENS = before;
      vi.resetModules();
    }
  });
});

describe("POST /api/ingest/submissions", () => {
  it("creates a claim the triage list shows, and answers per record", async () => {
    const system = sourceSystem();
    const record = makeRecord(system, (r) => {
      r.vetsApiOnly = { aasmState: "failed_primary", tags: ["x"] }; // fields the contract does not name
      (r.formData as Record<string, unknown>).unlistedSection = { a: 1 };
    });
    const { status, body } = await postRecords([record]);
    expect(status).toBe(200);
    expect(body.counts).toEqual({ created: 1, updated: 0, unchanged: 0, refused: 0 });
    const [result] = body.results;
    expect(result).toMatchObject({ index: 0, result: "created", sourceId: record.source.id, waitingFor: null });

    const page = await getClaimsPage(db, {
      where: claimsWhere({ q: record.confirmationGuid }, { piiSearch: true }),
      sort: { id: "submittedAt", desc: true },
      pageIndex: 0,
      pageSize: 10,
    });
    expect(page.records).toHaveLength(1);
    expect(page.records[0]).toMatchObject({
      id: result.claimId,
      formType: "21-526EZ",
      triageState: "never_tried",
      blackHole: true,
      mainClaimId: result.claimId,
    });
    const [claim] = await db.execute<Record<string, unknown>>(sql`
      select c.veteran_last_name, c.file_last4, c.failure_reason, c.classification_rule, c.classification_version,
        c.form_data, p.status, p.error_class, p.shown_as_success, ${receivedRecordSql()} as record,
        g.parent_claim_id::int, g.status as group_status
      from saved_claims c join primary_submissions p on p.claim_id = c.id
        join ingest_records r on r.claim_id = c.id join claim_groups g on g.id = c.group_id
      where c.id = ${result.claimId}`);
    expect(claim).toMatchObject({
      veteran_last_name: record.veteran.lastName,
      file_last4: record.veteran.fileNumber.slice(-4),
      failure_reason: "Gateway timeout: upstream EVSS did not answer within <n>s",
      classification_rule: "526.primary_job_exhausted",
      classification_version: 1,
      form_data: record.formData,
      status: "failure",
      error_class: "Common::Exceptions::GatewayTimeout",
      shown_as_success: true,
      parent_claim_id: result.claimId,
      group_status: "failure",
    });
    expect(claim.record).toEqual(record); // as sent, unknown fields and all
  });

  it("reads NDJSON, numbering results by line, a bad line refused in place", async () => {
    const system = sourceSystem();
    const [a, b] = [makeRecord(system), makeRecord(system)];
    const body = `${JSON.stringify(a)}\n\n{"broken": \n${JSON.stringify(b)}\n`;
    const response = await postSubmissions(body, { contentType: "application/x-ndjson" });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r) => [r.index, r.result])).toEqual([
      [1, "created"],
      [3, "refused"],
      [4, "created"],
    ]);
    expect(response.body.results[1].problems?.[0].message).toMatch(/not valid JSON/);
  });

  it("is idempotent: the same 1,000 records twice change nothing the second time", async () => {
    const system = sourceSystem();
    const records = Array.from({ length: 1_000 }, () => makeRecord(system));
    const first = await postRecords(records);
    expect(first.body.counts).toEqual({ created: 1_000, updated: 0, unchanged: 0, refused: 0 });
    const before = await footprint(db, system);
    expect(before).toMatchObject({ records: 1_000, claims: 1_000, primary: 1_000 });
    // the same records, their fields in another order
    const again = records.map((r) => Object.fromEntries(Object.entries(r).reverse()));
    const second = await postRecords(again);
    expect(second.body.counts).toEqual({ created: 0, updated: 0, unchanged: 1_000, refused: 0 });
    expect(second.body.results.map((r) => r.claimId)).toEqual(first.body.results.map((r) => r.claimId));
    expect(await footprint(db, system)).toEqual(before);
  });

  it("takes the newest of two versions of one record sent together", async () => {
    const system = sourceSystem();
    const old = makeRecord(system);
    const newer = structuredClone(old);
    newer.source.updatedAt = "2022-08-01T00:00:00Z";
    newer.veteran.lastName = "Newername";
    const { body } = await postRecords([newer, old]);
    expect(body.results.map((r) => r.result)).toEqual(["created", "unchanged"]);
    expect(body.results[1].note).toMatch(/superseded/);
    const [row] = await db.execute<{ veteran_last_name: string }>(
      sql`select veteran_last_name from saved_claims where id = ${body.results[0].claimId}`,
    );
    expect(row.veteran_last_name).toBe("Newername");
  });

  it("two requests racing with the same records create each claim once", async () => {
    const system = sourceSystem();
    const records = Array.from({ length: 50 }, () => makeRecord(system));
    const [a, b] = await Promise.all([postRecords(records), postRecords(records)]);
    expect(a.body.counts.created + b.body.counts.created).toBe(50);
    expect(a.body.counts.unchanged + b.body.counts.unchanged).toBe(50);
    expect((await footprint(db, system)).claims).toBe(50);
  });

  it("refuses a confirmation guid another claim already holds", async () => {
    const system = sourceSystem();
    const first = makeRecord(system);
    const thief = makeRecord(system, (r) => {
      r.confirmationGuid = first.confirmationGuid;
    });
    const { body } = await postRecords([first, thief]);
    expect(body.results.map((r) => r.result)).toEqual(["created", "refused"]);
    expect(body.results[1].problems).toEqual([
      { path: "confirmationGuid", message: "also the confirmation number of item 0 in this request" },
    ]);
    const later = await postRecords([makeRecord(system, (r) => (r.confirmationGuid = first.confirmationGuid))]);
    expect(later.body.results[0].problems?.[0].message).toMatch(/already the confirmation number of claim/);
    expect((await footprint(db, system)).claims).toBe(1);
  });
});

describe("hostile records and bodies", () => {
  it("refuses wrong types, a 10 MB string, NUL bytes and an unknown form type, with every reason, writing only the good record", async () => {
    const system = sourceSystem();
    const good = makeRecord(system);
    const wrongTypes = makeRecord(system, (r) => {
      (r.source as Record<string, unknown>).id = 12;
      (r as Record<string, unknown>).claimDate = 20220614;
      (r.primary as Record<string, unknown>).shownAsSuccess = "yes";
    });
    const huge = makeRecord(system, (r) => {
      r.veteran.firstName = "x".repeat(10 * 1024 * 1024);
    });
    const nul = makeRecord(system, (r) => {
      r.veteran.lastName = "Test\u0000person";
      (r.formData as Record<string, unknown>).remarks = "\u0000";
    });
    const unknownForm = makeRecord(system, (r) => {
      (r as Record<string, unknown>).formType = "21-0966";
    });
    const { status, body } = await postRecords([good, wrongTypes, huge, nul, unknownForm]);
    expect(status).toBe(200);
    expect(body.counts).toEqual({ created: 1, updated: 0, unchanged: 0, refused: 4 });
    const problems = (i: number) => body.results[i].problems?.map((p) => p.path);
    expect(problems(1)).toEqual(expect.arrayContaining(["source.id", "claimDate", "primary.shownAsSuccess"]));
    expect(problems(2)).toEqual(expect.arrayContaining(["veteran.firstName"]));
    expect(problems(3)).toEqual(expect.arrayContaining(["veteran.lastName", "formData.remarks"]));
    expect(body.results[4].problems).toEqual([expect.objectContaining({ path: "formType" })]);
    const written = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from saved_claims
      where guid::text = any(${textArray([wrongTypes, huge, nul, unknownForm].map((r) => r.confirmationGuid))})`);
    expect(written[0].n).toBe(0);
    expect(await footprint(db, system)).toMatchObject({ records: 1, claims: 1, groups: 1, primary: 1 });
  });

  it("refuses a body over 20 MB from its declared length, before reading it", async () => {
    const system = sourceSystem();
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const response = await postSubmissions(stream, { headers: { "content-length": String(21 * 1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
    expect((await footprint(db, system)).records).toBe(0);
  });

  it("refuses a chunked body once it passes 20 MB, without reading the rest", async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024).fill(0x20));
        if (sent > 200 * 1024 * 1024) controller.close();
      },
    });
    const response = await postSubmissions(stream);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(30 * 1024 * 1024);
  });

  it("refuses more than 5,000 records", async () => {
    const system = sourceSystem();
    const record = JSON.stringify(makeRecord(system));
    const asArray = await postSubmissions(`[${Array.from({ length: 5_001 }, () => record).join(",")}]`);
    expect(asArray.status).toBe(413);
    const asLines = await postSubmissions(Array.from({ length: 5_001 }, () => record).join("\n"), {
      contentType: "application/x-ndjson",
    });
    expect(asLines.status).toBe(413);
    expect((await footprint(db, system)).records).toBe(0);
  });

  it("refuses a body that is not JSON, not an array, or of another type", async () => {
    expect((await postSubmissions("[{")).status).toBe(400);
    expect((await postSubmissions(JSON.stringify(makeRecord(sourceSystem())))).status).toBe(400);
    expect((await postSubmissions("<xml/>", { contentType: "application/xml" })).status).toBe(415);
    expect((await postSubmissions(new Uint8Array([0x5b, 0xff, 0x5d]))).status).toBe(400);
  });
});
