import { parse } from "csv-parse/sync";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { backupAttempts, backupSubmissions, persistentAttachments, savedClaims } from "@/db/schema";
import type { Role } from "@/db/schema/enums";
import { startBackup } from "@/lib/backup/start-backup";
import { csvCell } from "@/lib/csv";
import { DEFAULT_EVIDENCE_LIMITS } from "@/lib/pdf/limits";
import { configurePdfPool } from "@/lib/pdf/package-pool";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { createClaimGroup, testVeteran } from "../support/claims-factory";
import { seededUserSession } from "../support/fake-session";
import { declaredPngBomb, deepPageTreePdf, inflatingPngBomb, manyPagesPdf } from "../support/hostile-evidence";
import { makePng, makeSizedPdf } from "../support/pdf-test-files";

// Issue #7, hostile files: retry lists that are huge, binary, wrongly encoded or malformed, sent
// through the real import route (real limits, real multipart parsing), must be refused with a
// message an admin can act on and create nothing; values that a spreadsheet would run as a formula
// must leave the claims and batch exports escaped. (Payloads and ids: hostile-input.test.ts.)

const session = vi.hoisted(() => ({ email: null as string | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.email ? seededUserSession(db, session.email) : null),
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => close());
const signInAs = (role: Role) => {
  session.email = `${role}@example.com`;
};

async function snapshot() {
  const [row] = await db.execute(sql`select
    (select count(*) from batches)::int as batches, (select count(*) from batch_items)::int as items,
    (select count(*) from audit_events)::int as audit, (select count(*) from backup_attempts)::int as attempts`);
  return row;
}

const URL_IMPORT = "http://localhost/api/batches/import";
const CONFIRM = {
  mode: "confirm",
  dedupe: "newest",
  reviewedHash: "0".repeat(64),
  name: "Hostile list",
  reason: "TICKET-7",
  ratePerMinute: "60",
};

async function postImport(fields: Record<string, string>, file?: Uint8Array | string, fileName = "retry.csv") {
  const { POST } = await import("@/app/api/batches/import/route");
  const form = new FormData();
  if (file !== undefined) form.set("file", new File([file as BlobPart], fileName, { type: "text/csv" }));
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const response = await POST(new Request(URL_IMPORT, { method: "POST", body: form }));
  return {
    status: response.status,
    body: (await response.json()) as {
      error?: string;
      fieldErrors?: Record<string, string[]>;
      report?: { acceptedHash: string; acceptedCount: number; counts: Record<string, number> };
      batchId?: number;
    },
  };
}

// Deterministic "random" bytes, so a failure can be replayed.
function noise(length: number, seed = 7) {
  const out = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));
const PNG = bytes([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6,
  0, 0, 0,
]);
const utf16 = (text: string, bigEndian: boolean) => {
  const le = Buffer.from(text, "utf16le");
  return bigEndian ? bytes([0xfe, 0xff], [...le.swap16()]) : bytes([0xff, 0xfe], [...le]);
};

const NOT_TEXT = /not UTF-8 text.*Save it as “CSV UTF-8”/;
const FILE_CASES: [what: string, file: Uint8Array | string, status: number, expected: RegExp][] = [
  [
    "a file one byte over 5 MB",
    new Uint8Array(5 * 1024 * 1024 + 1).fill(0x31),
    413,
    /larger than 5 MB\. Split the list/,
  ],
  ["100,001 rows (under 5 MB)", "1\n".repeat(100_001), 422, /more than 100,000 rows\. Split the list/],
  ["a PNG image", PNG, 422, NOT_TEXT],
  ["random bytes", noise(4096), 422, NOT_TEXT],
  ["UTF-16 LE with a BOM", utf16("claim_id,note\n1,x\n", false), 422, NOT_TEXT],
  ["UTF-16 BE with a BOM", utf16("claim_id,note\n1,x\n", true), 422, NOT_TEXT],
  ["a Latin-1 note", bytes("claim_id,note\n1,caf", [0xe9], "\n"), 422, NOT_TEXT],
  ["a NUL byte in otherwise plain text", "claim_id\n1\u0000\n2\n", 422, NOT_TEXT],
  [
    "one 20,000-character note",
    `claim_id,note\n1,${"x".repeat(20_000)}\n`,
    422,
    /not valid CSV \(.*maximum.*\)\. Nothing was imported/,
  ],
  ["one 20,000-digit claim id", `${"9".repeat(20_000)}\n`, 422, /not valid CSV/],
  ["only a header", "claim_id,note\r\n", 422, /no claim ids/],
  ["only blank lines and commas", "\n,,\n   \n,\n", 422, /no claim ids/],
  ["a formula where the header should be", "=cmd|' /C calc'!A0\n1\n", 422, /first row must be the header/],
  ["SQL where the header should be", "'; drop table batches; --\n1\n", 422, /first row must be the header/],
];

describe("the import route refuses hostile files with a clear message and creates nothing", () => {
  for (const [what, file, status, expected] of FILE_CASES) {
    it(`refuses ${what}`, async () => {
      signInAs("admin");
      const before = await snapshot();
      // Confirm, not preview: the step that would create a batch if the file got through.
      const { status: got, body } = await postImport(CONFIRM, file);
      expect(got, body.error).toBe(status);
      expect(body.error).toMatch(expected);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe("the import route refuses hostile requests around the file", () => {
  const postRaw = async (init: RequestInit) =>
    (await import("@/app/api/batches/import/route")).POST(new Request(URL_IMPORT, { method: "POST", ...init }));
  const CASES: [
    what: string,
    send: () => Promise<{ status: number; body: { error?: string; fieldErrors?: unknown } }>,
    status: number,
    expected: RegExp,
  ][] = [
    [
      "a body that is not multipart",
      async () => {
        const r = await postRaw({ body: "claim_id\n1\n", headers: { "content-type": "text/plain" } });
        return { status: r.status, body: await r.json() };
      },
      400,
      /could not be read\. Choose the CSV file again/,
    ],
    [
      "a JSON body",
      async () => {
        const r = await postRaw({
          body: JSON.stringify({ file: "1\n", mode: "confirm" }),
          headers: { "content-type": "application/json" },
        });
        return { status: r.status, body: await r.json() };
      },
      400,
      /could not be read/,
    ],
    [
      "a declared length of 1 GB",
      async () => {
        const r = await postRaw({ body: new FormData(), headers: { "content-length": String(2 ** 30) } });
        return { status: r.status, body: await r.json() };
      },
      413,
      /larger than 5 MB/,
    ],
    ["no file", () => postImport(CONFIRM), 400, /Choose a CSV file/],
    ["the file as a plain field", async () => postImport({ ...CONFIRM, file: "1\n2\n" }), 400, /Choose a CSV file/],
    [
      "an unknown mode",
      () => postImport({ ...CONFIRM, mode: "delete" }, "1\n"),
      400,
      /not valid; nothing was imported.*mode/,
    ],
    [
      "a forged review hash",
      () => postImport({ ...CONFIRM, reviewedHash: "'; drop table batches; --" }, "1\n"),
      400,
      /The review is missing/,
    ],
    [
      "a 1 MB batch name",
      () => postImport({ ...CONFIRM, name: "n".repeat(1024 * 1024) }, "1\n"),
      400,
      /Keep the name under 200 characters/,
    ],
    [
      "a rate that is not a number",
      () => postImport({ ...CONFIRM, ratePerMinute: "NaN" }, "1\n"),
      400,
      /ratePerMinute/,
    ],
    ["a rate of a billion", () => postImport({ ...CONFIRM, ratePerMinute: "1e9" }, "1\n"), 400, /ratePerMinute/],
  ];
  for (const [what, send, status, expected] of CASES) {
    it(`refuses ${what}`, async () => {
      signInAs("admin");
      const before = await snapshot();
      const { status: got, body } = await send();
      expect(got, JSON.stringify(body).slice(0, 200)).toBe(status);
      expect(`${body.error} ${JSON.stringify(body.fieldErrors ?? {})}`).toMatch(expected);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("reports hostile claim ids row by row, and never reads them as numbers", async () => {
    signInAs("admin");
    const rows = [
      "-1",
      "0",
      "1.5",
      "1e3",
      "0x10",
      "9".repeat(17),
      "'; drop table saved_claims; --",
      "=cmd|' /C calc'!A0",
      "１２",
      String(2_000_000_000),
    ];
    const { status, body } = await postImport(
      { mode: "preview" },
      ["claim_id", ...rows.map((r) => `"${r.replace(/"/g, '""')}"`)].join("\n"),
    );
    expect(status).toBe(200);
    const report = body.report!;
    expect(report.acceptedCount).toBe(0);
    expect(report.counts).toMatchObject({ not_a_number: rows.length - 1, unknown_id: 1 });
  });
});

describe("exports escape cells a spreadsheet would run as a formula", () => {
  const PAYLOAD = "cmd|' /C calc'!A0";
  const PREFIXES = ["=", "+", "-", "@", "\t", "\r"];
  const rowsOf = async (response: Response) =>
    parse(await response.text(), { bom: true, columns: true, relax_column_count: false }) as Record<string, string>[];

  it("csvCell prefixes a quote and still quotes what RFC 4180 needs", () => {
    const cases: [unknown, string][] = [
      [`=${PAYLOAD}`, `'=${PAYLOAD}`],
      ["+1+1", "'+1+1"],
      ["-2+3", "'-2+3"],
      ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
      ["\tx", "'\tx"],
      ["\rx", `"'\rx"`],
      ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
      ["a=1", "a=1"],
      [" =1", " =1"],
      [-5, "'-5"],
      [null, ""],
    ];
    for (const [value, expected] of cases) expect(csvCell(value), JSON.stringify(value)).toBe(expected);
  });

  it("in the claims export, for names and failure reasons, as every role", async () => {
    const { GET } = await import("@/app/api/claims/export/route");
    const made: number[] = [];
    for (const prefix of PREFIXES) {
      const claim = await createClaimGroup(db, { veteran: testVeteran({ firstName: `${prefix}${PAYLOAD}` }) });
      made.push(claim.mainClaimId);
      await db.execute(
        sql`update saved_claims set failure_reason = ${`${prefix}HYPERLINK("http://evil.example")`} where id = ${claim.mainClaimId}`,
      );
      for (const role of ["viewer", "triager", "admin"] as const) {
        signInAs(role);
        const rows = await rowsOf(await GET(new Request(`http://localhost/api/claims/export?q=${claim.mainClaimId}`)));
        const row = rows.find((r) => r.claim_id === String(claim.mainClaimId))!;
        expect(row.failure_reason, `${JSON.stringify(prefix)} as ${role}`).toBe(
          `'${prefix}HYPERLINK("http://evil.example")`,
        );
        // Full name for PII-cleared roles, "X. T." for a viewer: either way it starts with the prefix.
        expect(row.veteran.startsWith(`'${prefix}`), `${JSON.stringify(row.veteran)} as ${role}`).toBe(true);
      }
    }
    // Other files count claims per fingerprint: leave no odd fingerprints behind.
    await db.execute(
      sql`update saved_claims set failure_reason = 'Net::ReadTimeout with #<TCPSocket:(closed)> after <n> seconds' where id = any(${`{${made.join(",")}}`}::bigint[])`,
    );
  });

  it("in the batch export, for notes from an imported list and failure messages, notes stored exactly", async () => {
    signInAs("admin");
    const notes = [`=${PAYLOAD}`, "+SUM(1;2)", "-1+1", "@SUM(A1:A2)", 'say "hi", \\o/ {a,b}', "NULL"];
    const claims = await Promise.all(notes.map(() => createClaimGroup(db)));
    const csv = ["claim_id,note", ...claims.map((c, i) => `${c.mainClaimId},"${notes[i].replace(/"/g, '""')}"`)].join(
      "\n",
    );
    const preview = await postImport({ mode: "preview" }, csv);
    expect(preview.status).toBe(200);
    const created = await postImport({ ...CONFIRM, reviewedHash: preview.body.report!.acceptedHash }, csv);
    expect(created.status, created.body.error).toBe(200);
    const batchId = created.body.batchId!;
    const stored = await db.execute<{ claim_id: number; note: string }>(
      sql`select claim_id::int, note from batch_items where batch_id = ${batchId}`,
    );
    expect(new Set(Array.from(stored, (r) => r.note))).toEqual(new Set(notes));
    await db.execute(
      sql`update batch_items set message = ${"\t=1+1 failed"} where batch_id = ${batchId} and claim_id = ${claims[0].mainClaimId}`,
    );

    const { GET } = await import("@/app/api/batches/[id]/export/route");
    const rows = await rowsOf(
      await GET(new Request(`http://localhost/api/batches/${batchId}/export`), {
        params: Promise.resolve({ id: String(batchId) }),
      }),
    );
    expect(rows).toHaveLength(notes.length);
    for (const row of rows) {
      const note = notes[claims.findIndex((c) => String(c.mainClaimId) === row.claim_id)];
      expect(row.note).toBe(/^[=+\-@]/.test(note) ? `'${note}` : note);
    }
    expect(rows.find((r) => r.claim_id === String(claims[0].mainClaimId))!.message).toBe("'\t=1+1 failed");
  });

  // With a real claim and the reviewed hash, so only the NUL byte stands between the request and a batch.
  it("refuses a NUL byte in the batch name or reason, and drops one from the file name", async () => {
    signInAs("admin");
    const claim = await createClaimGroup(db);
    const fileName = "../../etc/passwd\u0000.csv";
    const preview = await postImport({ mode: "preview" }, `${claim.mainClaimId}\n`, fileName);
    expect(preview.status).toBe(200);
    const before = await snapshot();
    for (const field of [{ name: "list\u0000" }, { reason: "TICKET\u00007" }]) {
      const refused = await postImport(
        { ...CONFIRM, ...field, reviewedHash: preview.body.report!.acceptedHash },
        `${claim.mainClaimId}\n`,
        fileName,
      );
      expect(refused.status, refused.body.error).toBe(400);
      expect(JSON.stringify(refused.body.fieldErrors)).toMatch(/cannot contain a NUL character/);
    }
    expect(await snapshot()).toEqual(before);
    const created = await postImport(
      { ...CONFIRM, reviewedHash: preview.body.report!.acceptedHash },
      `${claim.mainClaimId}\n`,
      fileName,
    );
    expect(created.status, created.body.error).toBe(200);
    const [audit] = await db.execute<{ file_name: string }>(
      sql`select details->>'fileName' as file_name from audit_events where batch_id = ${created.body.batchId!} and action = 'batch.import'`,
    );
    expect(audit.file_name).not.toContain("\u0000");
  });
});

// Issue #14.3: evidence files built to exhaust the worker that opens them. Each ends as its claim's
// recorded permanent failure, with the reason, and the same worker goes on backing up other claims.
describe("hostile evidence files fail their claim, not the worker", () => {
  let h: BackupHarness;
  beforeAll(async () => {
    // The PDF thread's heap is lowered from 256 to 32 MB so that the runaway PDF reaches it within
    // seconds; every other limit is the default.
    await configurePdfPool({ threads: 1, maxHeapMb: 32, timeoutMs: 60_000, limits: DEFAULT_EVIDENCE_LIMITS });
    h = await startBackupHarness();
    await h.startWorkers(1);
  });
  afterAll(async () => {
    await h?.stop();
    await configurePdfPool({ threads: 0, maxHeapMb: 256, timeoutMs: 60_000, limits: DEFAULT_EVIDENCE_LIMITS });
  });

  async function claimWithEvidence(files: { fileName: string; contentType: string; bytes: Uint8Array }[]) {
    const { mainClaimId } = await createClaimGroup(h.db);
    for (const f of files) {
      const stored = await h.storage.put(f.bytes);
      await h.db.insert(persistentAttachments).values({
        claimId: mainClaimId,
        fileName: f.fileName,
        contentType: f.contentType,
        storageKey: stored.storageKey,
        byteSize: stored.byteSize,
      });
    }
    return mainClaimId;
  }
  const start = (claimId: number) =>
    startBackup(h.db, { claimId, trigger: "user", userId: null, batchId: null, force: false });
  const settled = (claimIds: number[]) =>
    waitFor(
      `claims ${claimIds.join(", ")} to settle`,
      async () => {
        const rows = await h.db.select().from(backupSubmissions).where(inArray(backupSubmissions.claimId, claimIds));
        return rows.length === claimIds.length && rows.every((r) => r.inFlightSince === null) ? rows : null;
      },
      120_000,
    );
  const attemptsOf = (claimId: number) =>
    h.db.select().from(backupAttempts).where(eq(backupAttempts.claimId, claimId)).orderBy(asc(backupAttempts.id));

  const HOSTILE: [
    what: string,
    file: () => { fileName: string; contentType: string; bytes: Uint8Array },
    reason: RegExp,
  ][] = [
    [
      "a PNG declaring 100,000 x 100,000 pixels",
      () => ({ fileName: "bomb.png", contentType: "image/png", bytes: declaredPngBomb() }),
      /bomb\.png: the PNG is 100000 x 100000 pixels \(10,000 megapixels\), over the 50 megapixels limit/,
    ],
    [
      "a 1 MB PNG whose data inflates to 1 GB",
      () => ({ fileName: "zeros.png", contentType: "image/png", bytes: inflatingPngBomb(1024 * 1024 * 1024) }),
      /zeros\.png: the PNG's image data inflates to more than the 256 MB limit/,
    ],
    [
      "a PDF of 6,000 pages",
      () => ({ fileName: "pages.pdf", contentType: "application/pdf", bytes: manyPagesPdf(6_000) }),
      /pages\.pdf: the PDF has 6,000 pages, over the 5,000-page limit/,
    ],
    [
      "a PDF whose page tree is 100,000 levels deep",
      () => ({ fileName: "deep.pdf", contentType: "application/pdf", bytes: deepPageTreePdf(100_000) }),
      // Too deep to walk (a stack overflow, caught), or too big to parse in 32 MB: either ends it.
      /deep\.pdf: the PDF's page tree is broken|needed more than the 32 MB of memory a PDF thread may use/,
    ],
    [
      "a PDF of 50,000 pages that needs more heap than the PDF thread has",
      () => ({ fileName: "huge.pdf", contentType: "application/pdf", bytes: manyPagesPdf(50_000) }),
      /needed more than the 32 MB of memory a PDF thread may use/,
    ],
  ];

  it("records each as a permanent failure with its reason, and backs up the claims that follow", async () => {
    const ordinary = async () =>
      claimWithEvidence([
        { fileName: "photo.png", contentType: "image/png", bytes: makePng(400, 300) },
        { fileName: "records.pdf", contentType: "application/pdf", bytes: await makeSizedPdf([[612, 792]]) },
      ]);
    const hostile: number[] = [];
    for (const [, file] of HOSTILE) hostile.push(await claimWithEvidence([file()]));
    const before = [await ordinary(), await ordinary()];
    const after = [await ordinary(), await ordinary(), await ordinary()];

    // The hostile claims and two ordinary ones go in together; the rest once the hostile ones ended.
    for (const id of [...hostile, ...before]) expect((await start(id)).started).toBe(true);
    await settled([...hostile, ...before]);
    const bombsEnded = new Date();
    for (const id of after) expect((await start(id)).started).toBe(true);
    await settled(after);

    for (const [index, [what, , reason]] of HOSTILE.entries()) {
      const attempts = await attemptsOf(hostile[index]);
      expect(attempts, what).toHaveLength(1); // permanent: never retried
      expect(attempts[0], what).toMatchObject({
        status: "failure",
        transient: false,
        errorClass: "PdfGenerationError",
      });
      expect(attempts[0].errorMessage, what).toMatch(reason);
    }
    const states = await h.db
      .select({ id: savedClaims.id, triageState: savedClaims.triageState })
      .from(savedClaims)
      .where(inArray(savedClaims.id, [...hostile, ...before, ...after]));
    const stateOf = new Map(states.map((s) => [s.id, s.triageState]));
    for (const id of hostile) expect(stateOf.get(id)).toBe("failed");
    for (const id of [...before, ...after]) {
      expect(stateOf.get(id)).toBe("submitted");
      const [attempt] = await attemptsOf(id);
      expect(attempt.status).toBe("submitted");
    }
    // The same worker processed claims after every bomb had gone off.
    for (const id of after)
      expect((await attemptsOf(id))[0].finishedAt!.getTime()).toBeGreaterThanOrEqual(bombsEnded.getTime() - 1000);
  });
});
