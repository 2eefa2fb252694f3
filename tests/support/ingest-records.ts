import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { exampleRecord } from "@/lib/ingest/example-record";

// Ingest records for one test: a source system of the test's own (so counts never see another
// test's rows), fresh ids, guids and file numbers, and the route handlers called with real Requests.

export const TOKEN = `test-ingest-token-${"k".repeat(32)}`;
export const OTHER_TOKEN = `test-ingest-rotated-${"r".repeat(32)}`;

// File numbers 000100000–000499999: clear of the seed (index-based, low) and the claims factory (from 900000).
let serial = 100_000 + Math.floor(Math.random() * 300_000);
const DAY = 86_400_000;
// One last name per test file: the same-veteran key (file number and last name) never matches a
// claim another file made, whatever their file numbers.
const LAST_NAME = `Testperson-${randomUUID()
  .replace(/[^a-f]/g, "")
  .slice(0, 6)}`;

export type RecordInput = ReturnType<typeof exampleRecord> & Record<string, unknown>;

export function sourceSystem() {
  return `test-${randomUUID().slice(0, 8)}`;
}

export function makeRecord(system: string, edit: (r: RecordInput) => void = () => {}): RecordInput {
  serial++;
  const r = structuredClone(exampleRecord()) as RecordInput;
  r.source.system = system;
  r.source.id = String(serial);
  r.confirmationGuid = randomUUID();
  r.claimDate = new Date(Date.now() - 200 * DAY).toISOString();
  r.veteran.fileNumber = `000${String(serial).padStart(6, "0")}`;
  r.veteran.lastName = LAST_NAME;
  r.formData.veteran.fileNumber = r.veteran.fileNumber;
  r.formData.veteran.lastName = LAST_NAME;
  r.evidence = [];
  edit(r);
  return r;
}

// A dependents group: the 686c heads it, each 674 names it as parent.
export function makeDependents(system: string, students: number, edit: (r: RecordInput) => void = () => {}) {
  const parent = makeRecord(system, (r) => {
    r.formType = "21-686C";
    r.source.table = "saved_claims";
    r.claimGroup = { parentId: r.source.id, status: "failure" } as never;
    r.primary = { shownAsSuccess: true, jobs: [] } as never;
    edit(r);
  });
  const children = Array.from({ length: students }, () =>
    makeRecord(system, (r) => {
      r.formType = "21-674";
      r.source.table = "saved_claims";
      r.claimGroup = { parentId: parent.source.id, status: "failure" } as never;
      r.primary = { shownAsSuccess: true, jobs: [] } as never;
      r.veteran = parent.veteran;
      edit(r);
    }),
  );
  return { parent, children };
}

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export type IngestResponse = {
  counts: { created: number; updated: number; unchanged: number; refused: number };
  results: {
    index: number;
    result: "created" | "updated" | "unchanged" | "refused";
    sourceId?: string;
    claimId?: number;
    waitingFor?: string | null;
    note?: string;
    problems?: { path: string; message: string }[];
  }[];
  error?: string;
};

export async function postSubmissions(
  body: BodyInit,
  options: { token?: string | null; contentType?: string; headers?: Record<string, string> } = {},
) {
  const { POST } = await import("@/app/api/ingest/submissions/route");
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TOKEN}`;
  if (options.contentType !== "") headers["content-type"] = options.contentType ?? "application/json";
  const init: RequestInit & { duplex?: string } = { method: "POST", body, headers };
  if (body instanceof ReadableStream) init.duplex = "half";
  const response = await POST(new Request("http://localhost/api/ingest/submissions", init));
  return { status: response.status, body: (await response.json()) as IngestResponse };
}

export const postRecords = (records: unknown[], token?: string) => postSubmissions(JSON.stringify(records), { token });

export async function putFile(hash: string, bytes: Uint8Array | string | null, token: string | null = TOKEN) {
  const { PUT } = await import("@/app/api/ingest/files/[sha256]/route");
  const headers: Record<string, string> = { "content-type": "application/octet-stream" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await PUT(
    new Request(`http://localhost/api/ingest/files/${hash}`, {
      method: "PUT",
      body: bytes as BodyInit | null,
      headers,
    }),
    {
      params: Promise.resolve({ sha256: hash }),
    },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// Everything ingest may have written for a source system, as one comparable value.
export async function footprint(db: Db, system: string) {
  const [row] = await db.execute<Record<string, unknown>>(sql`
    with r as (select * from ingest_records where source_system = ${system}),
    c as (select * from saved_claims where id in (select claim_id from r))
    select
      (select count(*)::int from r) as records,
      (select count(*)::int from c) as claims,
      (select count(*)::int from ingest_groups where source_system = ${system}) as groups,
      (select count(*)::int from primary_submissions where claim_id in (select id from c)) as primary,
      (select count(*)::int from persistent_attachments where claim_id in (select id from c)) as attachments,
      (select md5(coalesce(string_agg(r::text, '|' order by r.id), '')) from r) as records_digest,
      (select md5(coalesce(string_agg(c::text, '|' order by c.id), '')) from c) as claims_digest`);
  return row;
}
