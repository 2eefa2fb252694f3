// Pure parts of the local Benefits Intake service: PDF checks, multipart parsing, env knobs.

import { describe, expect, it } from "vitest";
import { encodeUploadPackage } from "@/lib/benefits-intake/upload-body";
import { boundaryOf, parseMultipart } from "@/local/benefits-intake/multipart";
import { optionsFromEnv } from "@/local/benefits-intake/options";
import { checkPdf } from "@/local/benefits-intake/pdf-check";
import { encryptPdf, makePdf, makeTruncatedPdf } from "../support/benefits-intake-pdfs";

describe("the encrypted PDF fixtures are really encrypted", () => {
  const textOf = async (bytes: Uint8Array, password?: string) => {
    const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const doc = await pdfjs.getDocument({ data: bytes.slice(), password, verbosity: 0 }).promise;
    const content = await (await doc.getPage(1)).getTextContent();
    return content.items.map((item) => ("str" in item ? item.str : "")).join("");
  };

  it("opens with an owner password only, and needs the user password otherwise", async () => {
    const plain = await makePdf({ text: "Hello fixture" });
    expect(await textOf(await encryptPdf(plain, { owner: "secret" }))).toBe("Hello fixture page 1");
    const locked = await encryptPdf(plain, { owner: "secret", user: "open-me" });
    await expect(textOf(locked)).rejects.toThrow(/password/i);
    expect(await textOf(locked, "open-me")).toBe("Hello fixture page 1");
  });
});

describe("checkPdf", () => {
  it("accepts a readable PDF and counts its pages", async () => {
    expect(await checkPdf(await makePdf({ pages: 3 }), "content")).toEqual({ ok: true, pages: 3 });
  });

  it.each([
    ["text", async () => new TextEncoder().encode("hello"), "DOC103", "not a PDF"],
    ["a truncated PDF", makeTruncatedPdf, "DOC103", "could not be parsed"],
    ["an encrypted PDF", async () => encryptPdf(await makePdf(), { owner: "x" }), "DOC103", "encrypted"],
    ["a 102-inch-high page", () => makePdf({ size: [612, 102 * 72] }), "DOC108", "page 1 is 8.5 in x 102.0 in"],
  ])("rejects %s", async (_label, make, code, detail) => {
    const result = await checkPdf(await make(), "attachment2");
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) {
      expect(result.detail).toContain(detail);
      expect(result.detail).toContain("attachment2");
    }
  });
});

describe("parseMultipart", () => {
  it("reads back exactly what the client's encoder wrote", async () => {
    const content = await makePdf({ pages: 2 });
    const attachment = await makePdf();
    const metadata = {
      veteranFirstName: "Jane",
      veteranLastName: "Doe",
      fileNumber: "123456789",
      zipCode: "00000",
      source: "s",
      docType: "21-674",
      businessLine: "CMP",
      claimDate: "2022-06-14T00:00:00.000Z",
    };
    const {
      parts: chunks,
      byteLength,
      contentType,
    } = encodeUploadPackage({
      metadata,
      content: { fileName: "main.pdf", bytes: content },
      attachments: [{ fileName: "ä 1.pdf", bytes: attachment }],
    });
    expect(contentType).toMatch(/^multipart\/form-data; boundary=-+ClaimTriage[0-9a-f]{32}$/);
    const body = Buffer.concat(chunks as Uint8Array[]); // no stored documents here: all bytes
    expect(body.byteLength).toBe(byteLength);
    const parts = parseMultipart(body, contentType);
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ["metadata", undefined, "application/json"],
      ["content", "main.pdf", "application/pdf"],
      ["attachment1", "ä 1.pdf", "application/pdf"],
    ]);
    expect(JSON.parse(parts[0].data.toString("utf8"))).toEqual(metadata);
    expect(Buffer.compare(parts[1].data, Buffer.from(content))).toBe(0);
    expect(Buffer.compare(parts[2].data, Buffer.from(attachment))).toBe(0);
  });

  it.each([
    ["a non-multipart type", "hello", "text/plain", /not multipart/],
    ["a missing boundary", "hello", "multipart/form-data; boundary=abc", /no multipart boundary/],
    [
      "no closing boundary",
      '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nxyz',
      "multipart/form-data; boundary=abc",
      /not terminated/,
    ],
    [
      "a part without a name",
      "--abc\r\nContent-Disposition: form-data\r\n\r\nx\r\n--abc--",
      "multipart/form-data; boundary=abc",
      /without a name/,
    ],
  ])("rejects %s", (_label, body, type, message) => {
    expect(() => parseMultipart(Buffer.from(body), type)).toThrow(message);
  });

  it("reads what Node's own FormData encoder writes too", async () => {
    const form = new FormData();
    form.append("metadata", new Blob(['{"a":1}'], { type: "application/json" }));
    form.append("content", new Blob([(await makePdf()).slice()], { type: "application/pdf" }), "x.pdf");
    const encoded = new Response(form);
    const parts = parseMultipart(Buffer.from(await encoded.arrayBuffer()), encoded.headers.get("content-type") ?? "");
    expect(parts.map((p) => [p.name, p.contentType])).toEqual([
      ["metadata", "application/json"],
      ["content", "application/pdf"],
    ]);
    expect(parts[0].data.toString()).toBe('{"a":1}');
  });

  it("reads quoted boundaries", () => {
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe("a b");
    expect(boundaryOf("application/json")).toBeUndefined();
  });
});

describe("optionsFromEnv", () => {
  it("reads every BI_LOCAL_* knob", () => {
    const options = optionsFromEnv({
      BI_LOCAL_PORT: "4011",
      BI_LOCAL_STEP_MS: "250",
      BI_LOCAL_LOCATION_TTL_MS: "5000",
      BI_LOCAL_SANDBOX: "true",
      BI_LOCAL_LATENCY_MS: "50",
      BI_LOCAL_FAIL_RATE: "0.1",
      BI_LOCAL_RATE_LIMIT_RATE: "0.05",
      BI_LOCAL_RETRY_AFTER_S: "2",
      BI_LOCAL_HANG_RATE: "0.01",
      BI_LOCAL_BAD_REQUEST_RATE: "0.02",
      BI_LOCAL_NOTIFY_BAD_REQUEST_RATE: "0.06",
      BI_LOCAL_ERROR_RATE: "0.03",
      BI_LOCAL_EXPIRE_RATE: "0.04",
      BI_LOCAL_FAIL_RATE_UNRELATED: "x",
      PORT: "3000",
    });
    expect(options).toMatchObject({ port: 4011, stepMs: 250, locationTtlMs: 5000, sandbox: true, logRequests: false });
    expect(options.faults).toEqual({
      latencyMs: 50,
      failRate: 0.1,
      rateLimitRate: 0.05,
      retryAfterS: 2,
      hangRate: 0.01,
      badRequestRate: 0.02,
      notifyBadRequestRate: 0.06,
      errorRate: 0.03,
      expireRate: 0.04,
    });
  });

  it("ignores empty values and PORT (the web app's), and rejects bad ones", () => {
    expect(optionsFromEnv({ BI_LOCAL_FAIL_RATE: "", PORT: "3000" })).toMatchObject({ port: undefined, faults: {} });
    expect(() => optionsFromEnv({ BI_LOCAL_FAIL_RATE: "2" })).toThrow(/BI_LOCAL_FAIL_RATE/);
  });
});
