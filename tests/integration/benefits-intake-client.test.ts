// The Benefits Intake client against the local service over real HTTP: statuses over time,
// validation at PUT, the ETag check, report chunking and document validation.
// Fault injection (5xx, 429, hangs, 4xx, keys) is covered in benefits-intake-faults.test.ts.

import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BenefitsIntakeClient, createBenefitsIntakeClient, REPORT_MAX_IDS } from "@/lib/benefits-intake/client";
import type { BenefitsIntakeError } from "@/lib/benefits-intake/errors";
import type { UploadStatus } from "@/lib/benefits-intake/types";
import { encryptPdf, makePdf, makeTruncatedPdf } from "../support/benefits-intake-pdfs";
import { makePackage, rejectionOf, startTestService } from "../support/local-benefits-intake";

const STEP_MS = 1_000;
let env: Awaited<ReturnType<typeof startTestService>>;
let client: BenefitsIntakeClient;
const clientConfig = () => ({ baseUrl: env.service.url, apiKey: env.service.apiKey, timeoutMs: 5_000 });

beforeAll(async () => {
  env = await startTestService({ stepMs: STEP_MS });
  client = createBenefitsIntakeClient(clientConfig());
});
afterAll(() => env.stop());
beforeEach(() => env.admin.reset());

/** Creates an upload, PUTs the package, returns its uuid. */
async function submit(pkg?: Awaited<ReturnType<typeof makePackage>>): Promise<string> {
  const { uuid, location } = await client.createUpload();
  await client.uploadPackage(location, pkg ?? (await makePackage()));
  return uuid;
}

/** Statuses seen while moving the service's clock one step at a time. */
async function statusesOverSteps(uuid: string, steps: number): Promise<UploadStatus[]> {
  const seen = [(await client.getUploadStatus(uuid)).status];
  for (let i = 0; i < steps; i++) {
    await env.admin.advance(STEP_MS);
    seen.push((await client.getUploadStatus(uuid)).status);
  }
  return seen;
}

describe("status progression", () => {
  it("starts pending with a signed location", async () => {
    const { uuid, location } = await client.createUpload();
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(location).toContain(`/upload-locations/${uuid}?`);
    expect(location).toMatch(/signature=[0-9a-f]{64}/);
    const status = await client.getUploadStatus(uuid);
    expect(status).toMatchObject({ uuid, status: "pending" });
    expect(status.updatedAt).toBeInstanceOf(Date);
  });

  it("moves a valid package uploaded → received → processing → success → vbms", async () => {
    const uuid = await submit();
    expect(await statusesOverSteps(uuid, 5)).toEqual(["uploaded", "received", "processing", "success", "vbms", "vbms"]);
    const end = await client.getUploadStatus(uuid);
    expect(end.code).toBeUndefined();
    expect(end.updatedAt!.getTime()).toBeGreaterThan(Date.now()); // the service's clock was moved on
  });

  it("progresses on its own in real time with a small stepMs", async () => {
    await env.admin.faults({ stepMs: 30 });
    const uuid = await submit();
    const seen: UploadStatus[] = [];
    for (let i = 0; i < 500 && seen.at(-1) !== "vbms"; i++) {
      const { status } = await client.getUploadStatus(uuid);
      if (seen.at(-1) !== status) seen.push(status);
      await new Promise((r) => setTimeout(r, 5));
    }
    const order: UploadStatus[] = ["uploaded", "received", "processing", "success", "vbms"];
    expect(seen.at(-1)).toBe("vbms");
    // However the polls fell, what was seen comes in the documented order.
    expect(seen.map((s) => order.indexOf(s))).toEqual([...seen.map((s) => order.indexOf(s))].sort((a, b) => a - b));
  });

  it("ends in error DOC202 when processing fails upstream", async () => {
    await env.admin.faults({ nextFailures: [{ endState: "error" }] });
    const uuid = await submit();
    expect(await statusesOverSteps(uuid, 4)).toEqual(["uploaded", "received", "processing", "error", "error"]);
    expect(await client.getUploadStatus(uuid)).toMatchObject({ status: "error", code: "DOC202" });
  });

  it("sends the configured share of uploads to error", async () => {
    await env.admin.faults({ errorRate: 1 });
    const uuids = [await submit(), await submit()];
    await env.admin.advance(STEP_MS * 10);
    const report = await client.getUploadReport(uuids);
    expect(report.map((s) => [s.status, s.code])).toEqual([
      ["error", "DOC202"],
      ["error", "DOC202"],
    ]);
  });

  it("expires a location nobody PUT to within locationTtlMs", async () => {
    await env.admin.faults({ locationTtlMs: 20 });
    const { uuid, location } = await client.createUpload();
    await new Promise((r) => setTimeout(r, 60));
    expect((await client.getUploadStatus(uuid)).status).toBe("expired");
    const err = await rejectionOf<BenefitsIntakeError>(client.uploadPackage(location, await makePackage()));
    // A fresh location fixes it, so the worker may try again.
    expect(err).toMatchObject({ kind: "transient", httpStatus: 403, code: "LOCATION_EXPIRED" });
    expect((await env.admin.upload(uuid)).acceptedPutCount).toBe(0);
  });

  it("expires at 900 s by default", async () => {
    const { uuid } = await client.createUpload();
    await env.admin.advance(899_000);
    expect((await client.getUploadStatus(uuid)).status).toBe("pending");
    await env.admin.advance(1_000);
    expect((await client.getUploadStatus(uuid)).status).toBe("expired");
  });

  it("ends expired when an accepted PUT is lost (expire fault)", async () => {
    await env.admin.faults({ expireRate: 1 });
    const uuid = await submit();
    expect(await statusesOverSteps(uuid, 2)).toEqual(["pending", "expired", "expired"]);
  });

  it("stops at received in sandbox mode until Status-Override moves it", async () => {
    await env.admin.faults({ sandbox: true });
    const uuid = await submit();
    expect(await statusesOverSteps(uuid, 4)).toEqual(["uploaded", "received", "received", "received", "received"]);
    expect((await client.getUploadStatus(uuid, { statusOverride: "vbms" })).status).toBe("vbms");
    expect((await client.getUploadStatus(uuid)).status).toBe("vbms");
  });

  it("answers an unknown id with a permanent 404", async () => {
    const err = await rejectionOf<BenefitsIntakeError>(client.getUploadStatus(randomUUID()));
    expect(err).toMatchObject({ kind: "permanent", httpStatus: 404 });
  });
});

describe("validation at PUT: 200 to the PUT, then status error with the code", () => {
  async function errorOf(pkg: Awaited<ReturnType<typeof makePackage>>) {
    const uuid = await submit(pkg); // the PUT itself succeeds, ETag and all
    expect((await client.getUploadStatus(uuid)).status).toBe("uploaded");
    await env.admin.advance(STEP_MS);
    return client.getUploadStatus(uuid);
  }

  it("DOC102 for metadata Benefits Intake rejects", async () => {
    const status = await errorOf(await makePackage({ fileNumber: "1234567" }));
    expect(status).toMatchObject({ status: "error", code: "DOC102" });
    expect(status.detail).toContain("file number must be 8 or 9 digits (has 7)");
  });

  it.each([
    ["a truncated PDF", () => makeTruncatedPdf(), "could not be parsed"],
    ["bytes that are not a PDF", async () => new TextEncoder().encode("just text"), "not a PDF"],
    ["a PDF with an owner password", async () => encryptPdf(await makePdf(), { owner: "secret" }), "encrypted"],
    ["a PDF with a user password", async () => encryptPdf(await makePdf(), { owner: "o", user: "u" }), "encrypted"],
  ])("DOC103 for %s", async (_label, content, why) => {
    const status = await errorOf(await makePackage({ content: await content() }));
    expect(status).toMatchObject({ status: "error", code: "DOC103" });
    expect(status.detail).toContain("part content");
    expect(status.detail).toContain(why);
  });

  it("DOC108 for a page over 78 × 101 inches, and accepts one just inside", async () => {
    const tooWide = await errorOf(await makePackage({ content: await makePdf({ size: [79 * 72, 11 * 72] }) }));
    expect(tooWide).toMatchObject({ status: "error", code: "DOC108" });
    const large = await errorOf(await makePackage({ content: await makePdf({ size: [78 * 72, 101 * 72] }) }));
    expect(large.status).toBe("received");
  });

  it("DOC106 for a document over 100 MB", async () => {
    const pdf = await makePdf();
    const big = new Uint8Array(100_000_001);
    big.set(pdf);
    big.fill(0x20, pdf.length); // trailing whitespace: still a PDF, just too big
    // Moving 100 MB through FormData, MD5 and loopback is slow on a busy machine: give it time.
    const patient = createBenefitsIntakeClient({ ...clientConfig(), uploadTimeoutMs: 60_000 });
    const { uuid, location } = await patient.createUpload();
    await patient.uploadPackage(location, await makePackage({ content: big }));
    await env.admin.advance(STEP_MS);
    expect(await client.getUploadStatus(uuid)).toMatchObject({ status: "error", code: "DOC106" });
  }, 60_000);

  const multipart = (...parts: string[]) => `${parts.map((p) => `--x\r\n${p}\r\n`).join("")}--x--\r\n`;
  it.each([
    ["an empty body", "", "multipart/form-data; boundary=x", "DOC107"],
    ["a body that is not multipart", "hello", "text/plain", "DOC101"],
    [
      "a part without a content type",
      multipart('Content-Disposition: form-data; name="metadata"\r\n\r\n{}'),
      "multipart/form-data; boundary=x",
      "DOC101",
    ],
    [
      "a text/plain part",
      multipart('Content-Disposition: form-data; name="metadata"\r\nContent-Type: text/plain\r\n\r\n{}'),
      "multipart/form-data; boundary=x",
      "DOC101",
    ],
    [
      "metadata without content",
      multipart('Content-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{}'),
      "multipart/form-data; boundary=x",
      "DOC103",
    ],
  ])("%s ends in %s", async (_label, body, contentType, code) => {
    const { uuid, location } = await client.createUpload();
    const res = await fetch(location, { method: "PUT", headers: { "content-type": contentType }, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`"${createHash("md5").update(body).digest("hex")}"`);
    await env.admin.advance(STEP_MS);
    expect(await client.getUploadStatus(uuid)).toMatchObject({ status: "error", code });
  });

  it("ignores a wrongly named part, as the real service does", async () => {
    const pkg = await makePackage({ attachments: 0 });
    const form = new FormData();
    form.append("metadata", new Blob([JSON.stringify(pkg.metadata)], { type: "application/json" }));
    form.append("content", new Blob([pkg.content.bytes.slice()], { type: "application/pdf" }), "a.pdf");
    form.append("Attachment1", new Blob([pkg.content.bytes.slice()], { type: "application/pdf" }), "b.pdf");
    const { uuid, location } = await client.createUpload();
    expect((await fetch(location, { method: "PUT", body: form })).status).toBe(200);
    await env.admin.advance(STEP_MS);
    expect((await client.getUploadStatus(uuid)).status).toBe("received");
    expect((await env.admin.upload(uuid)).documents.map((d) => d.part)).toEqual(["content"]);
  });
});

describe("uploadPackage", () => {
  it("sends metadata, content and attachmentN, stores them, and checks the ETag against the body's MD5", async () => {
    const sent: Uint8Array[] = [];
    const spying = createBenefitsIntakeClient({
      baseUrl: env.service.url,
      apiKey: env.service.apiKey,
      timeoutMs: 5_000,
      fetch: async (input, init) => {
        if (init?.method === "PUT") {
          // The body is streamed (never joined into one copy): read it here, send what was read.
          const body = new Uint8Array(await new Response(init.body).arrayBuffer());
          sent.push(body);
          const headers = new Headers(init.headers);
          expect(headers.has("apikey")).toBe(false);
          expect(headers.get("content-length")).toBe(String(body.byteLength)); // a pre-signed PUT needs it
          return fetch(input, { ...init, body, headers });
        }
        return fetch(input, init);
      },
    });
    const pkg = await makePackage({ attachments: 2 });
    const { uuid, location } = await spying.createUpload();
    const result = await spying.uploadPackage(location, pkg);

    expect(result.md5).toBe(createHash("md5").update(sent[0]).digest("hex"));
    const upload = await env.admin.upload(uuid);
    expect(upload).toMatchObject({ putCount: 1, acceptedPutCount: 1, md5: result.md5, sizeBytes: result.sizeBytes });
    expect(upload.metadata).toEqual(pkg.metadata);
    expect(upload.documents.map((d) => [d.part, d.pages])).toEqual([
      ["content", 2],
      ["attachment1", 1],
      ["attachment2", 1],
    ]);
    const stored = await readFile(path.join(env.dataDir, uuid, "content.pdf"));
    expect(Buffer.compare(stored, Buffer.from(pkg.content.bytes))).toBe(0);
    expect(JSON.parse(await readFile(path.join(env.dataDir, uuid, "metadata.json"), "utf8"))).toEqual(pkg.metadata);
  });

  it("treats an ETag that does not match the payload as transient", async () => {
    await env.admin.faults({ nextFailures: [{ badEtag: true }] });
    const { uuid, location } = await client.createUpload();
    const err = await rejectionOf<BenefitsIntakeError>(client.uploadPackage(location, await makePackage()));
    expect(err).toMatchObject({ kind: "transient", code: "ETAG_MISMATCH", httpStatus: 200 });
    expect((await env.admin.upload(uuid)).acceptedPutCount).toBe(1);
  });

  it("refuses a second PUT to a used location, permanently, and counts it", async () => {
    const pkg = await makePackage();
    const { uuid, location } = await client.createUpload();
    await client.uploadPackage(location, pkg);
    const err = await rejectionOf<BenefitsIntakeError>(client.uploadPackage(location, pkg));
    expect(err).toMatchObject({ kind: "permanent", httpStatus: 403, code: "AccessDenied" });
    expect(err.detail).toMatch(/already been used/);
    expect(await env.admin.upload(uuid)).toMatchObject({ putCount: 2, acceptedPutCount: 1 });
  });

  it("sends a document from storage as it reads it, the same bytes as from memory", async () => {
    const pkg = await makePackage({ attachments: 1 });
    const attachment = pkg.attachments[0] as { fileName: string; bytes: Uint8Array };
    const bytes = Buffer.from(attachment.bytes);
    async function* inPieces() {
      for (let at = 0; at < bytes.byteLength; at += 1000) yield bytes.subarray(at, at + 1000);
    }
    const streamed = { fileName: attachment.fileName, byteLength: bytes.byteLength, open: inPieces };
    const { uuid, location } = await client.createUpload();
    const result = await client.uploadPackage(location, { ...pkg, attachments: [streamed] });
    expect(await env.admin.upload(uuid)).toMatchObject({ acceptedPutCount: 1, md5: result.md5 });
    const stored = await readFile(path.join(env.dataDir, uuid, "attachment1.pdf"));
    expect(Buffer.compare(stored, bytes)).toBe(0);
  });

  // What storage hands the upload: the document's bytes, or a failure part-way.
  type Stored = (bytes: Uint8Array) => AsyncGenerator<Uint8Array>;
  const missing: Stored = async function* () {
    yield* []; // the error comes before any byte, as the storage streams raise it
    throw new Error("No stored document under abc");
  };
  const cutOff: Stored = async function* (bytes) {
    yield bytes.subarray(0, 100);
    throw new Error("Stored document abc ended after 100 of 900 bytes");
  };
  const whole: Stored = async function* (bytes) {
    yield bytes;
  };
  const withExtra: Stored = async function* (bytes) {
    yield bytes;
    yield new Uint8Array(10);
  };
  it.each([
    ["missing", missing, 0, /No stored document under abc/],
    ["cut off", cutOff, 0, /ended after 100 of 900 bytes/],
    ["shorter than recorded", whole, 50, /shorter than its/],
    ["longer than recorded", withExtra, 0, /longer than its/],
  ])(
    "fails the upload clearly, sending nothing complete, when a stored document is %s",
    async (_l, read, more, message) => {
      const pkg = await makePackage({ attachments: 1 });
      const bytes = (pkg.attachments[0] as { bytes: Uint8Array }).bytes;
      const file = { fileName: "evidence.pdf", byteLength: bytes.byteLength + more, open: () => read(bytes) };
      const { uuid, location } = await client.createUpload();
      const err = await rejectionOf<BenefitsIntakeError>(
        client.uploadPackage(location, { ...pkg, attachments: [file] }),
      );
      expect(err).toMatchObject({ kind: "transient", code: "DOCUMENT_UNREADABLE" });
      expect(err.detail).toMatch(message);
      expect(err.detail).toMatch(/^a stored document could not be read for the upload \(evidence\.pdf: /);
      expect((await env.admin.upload(uuid)).acceptedPutCount).toBe(0);
      expect((await client.getUploadStatus(uuid)).status).toBe("pending");
    },
  );

  it("refuses a location whose signature was tampered with", async () => {
    const { uuid, location } = await client.createUpload();
    const forged = location.replace(/signature=[0-9a-f]/, (m) => `${m.slice(0, -1)}${m.endsWith("0") ? "1" : "0"}`);
    const err = await rejectionOf<BenefitsIntakeError>(client.uploadPackage(forged, await makePackage()));
    expect(err).toMatchObject({ kind: "permanent", httpStatus: 403, code: "SignatureDoesNotMatch" });
    expect((await env.admin.upload(uuid)).putCount).toBe(0);
  });
});

describe("getUploadReport", () => {
  it(`splits long lists into calls of at most ${REPORT_MAX_IDS} ids and returns every status`, async () => {
    const known = [await submit(), (await client.createUpload()).uuid];
    const unknown = Array.from({ length: 2_498 }, () => randomUUID());
    const report = await client.getUploadReport([...known, ...unknown, known[0]]); // the repeat is asked once
    expect(report).toHaveLength(2_500);
    expect((await env.admin.stats()).reportSizes).toEqual([1_000, 1_000, 500]);
    const byId = new Map(report.map((s) => [s.uuid, s]));
    expect(byId.get(known[0])?.status).toBe("uploaded");
    expect(byId.get(known[1])?.status).toBe("pending");
    expect(byId.get(unknown[2_000])).toMatchObject({ status: "error", code: "DOC105", updatedAt: null });
  });

  it("is refused by the service above 1,000 ids (which is why the client chunks)", async () => {
    const res = await fetch(`${env.service.url}/uploads/report`, {
      method: "POST",
      headers: { apikey: env.service.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ ids: Array.from({ length: 1_001 }, () => randomUUID()) }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].detail).toContain("at most 1000");
  });

  it("may answer from its cache while GET is real time", async () => {
    await env.admin.faults({ reportCacheMs: 3_600_000 });
    const uuid = await submit();
    expect((await client.getUploadReport([uuid]))[0].status).toBe("uploaded");
    await env.admin.advance(STEP_MS * 2);
    expect((await client.getUploadReport([uuid]))[0].status).toBe("uploaded");
    expect((await client.getUploadStatus(uuid)).status).toBe("processing");
    expect(await client.getUploadReport([])).toEqual([]);
  });
});

describe("validateDocument", () => {
  it("accepts a valid PDF and explains a rejected one", async () => {
    expect(await client.validateDocument(await makePdf({ pages: 3 }))).toEqual({ valid: true, problems: [] });
    const encrypted = await client.validateDocument(await encryptPdf(await makePdf(), { owner: "secret" }));
    expect(encrypted.valid).toBe(false);
    expect(encrypted.problems[0]).toContain("encrypted");
    const truncated = await client.validateDocument(await makeTruncatedPdf());
    expect(truncated).toEqual({ valid: false, problems: [expect.stringContaining("could not be parsed")] });
  });
});
