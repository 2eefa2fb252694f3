import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFDocument, PDFName } from "pdf-lib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildClaimPackage, type ClaimPackageInput, type StoreDocument } from "@/lib/pdf/claim-package";
import { FileBytes } from "@/lib/pdf/file-source";
import { DEFAULT_EVIDENCE_LIMITS } from "@/lib/pdf/limits";
import { loadPdf, savePdf } from "@/lib/pdf/load";
import { PdfThreadPool } from "@/lib/pdf/package-pool";
import { sample526 } from "@/lib/pdf/samples";
import { savePdfChunks } from "@/lib/pdf/save-stream";
import { applyStamps, stampsFor } from "@/lib/pdf/stamp";
import type { StoredDocument } from "@/lib/pdf/storage";

// Large evidence is saved in chunks straight into storage (issue #14: a 100 MB scan never whole
// twice). The chunks must be the very bytes savePdf writes, in a thread as on the calling thread.

/** A scan-like PDF: pages that are one large image stream each (random, as scans nearly are). */
async function scanPdf(pages: number, imageBytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) {
    const image = doc.context.register(
      doc.context.stream(randomBytes(imageBytes), {
        Type: "XObject",
        Subtype: "Image",
        Width: 100,
        Height: 100,
        ColorSpace: "DeviceRGB",
        BitsPerComponent: 8,
        Filter: "DCTDecode",
      }),
    );
    const page = doc.addPage([612, 792]);
    page.node.setXObject(PDFName.of("Scan"), image);
    page.node.addContentStream(doc.context.register(doc.context.stream("q 612 0 0 792 0 0 cm /Scan Do Q")));
  }
  return doc.save({ useObjectStreams: false });
}

const submittedAt = new Date("2022-06-14T15:12:00Z");

/** An evidence file stamped as the package stamps it. */
async function stamped(bytes: Uint8Array) {
  const doc = await loadPdf(bytes);
  applyStamps(doc, stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: true }));
  return doc;
}

const join = async (chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c)); // a copy: chunks may be views
  return Buffer.concat(parts);
};

/** A store that keeps what it is given, as storage would, and says how it was given. */
function memoryStore() {
  const kept: { bytes: Buffer; chunks: number }[] = [];
  const store: StoreDocument = async (chunks) => {
    let count = 0;
    const parts: Buffer[] = [];
    for await (const c of chunks) {
      count++;
      parts.push(Buffer.from(c));
    }
    const bytes = Buffer.concat(parts);
    kept.push({ bytes, chunks: count });
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    return { storageKey: sha256, sha256, byteSize: bytes.byteLength } satisfies StoredDocument;
  };
  return { store, kept };
}

const input = (evidence: Uint8Array, small: Uint8Array): ClaimPackageInput => ({
  claims: [
    {
      id: 1,
      guid: "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
      formType: "21-526EZ",
      formData: sample526(1),
      submittedAt,
      isGroupParent: true,
    },
  ],
  attachments: [
    { fileName: "scan.pdf", contentType: "application/pdf", bytes: evidence },
    { fileName: "small.pdf", contentType: "application/pdf", bytes: small },
  ],
});

let pool: PdfThreadPool | undefined;
afterEach(async () => pool?.close());

describe("savePdfChunks", () => {
  it("writes the bytes savePdf writes, passing large image data on as it is", async () => {
    const scan = await scanPdf(3, 300_000);
    const whole = await savePdf(await stamped(scan));
    const chunks: Uint8Array[] = [];
    for await (const c of savePdfChunks(await stamped(scan))) chunks.push(c);
    expect(Buffer.compare(await join(chunks), Buffer.from(whole))).toBe(0);
    // The three images are views into the file they were parsed from, not copies.
    expect(chunks.filter((c) => c.byteLength === 300_000 && c.buffer === scan.buffer)).toHaveLength(3);
  });

  it("writes a document of small objects only the same way", async () => {
    const doc = await scanPdf(2, 1_000);
    expect(
      Buffer.compare(await join(savePdfChunks(await stamped(doc))), Buffer.from(await savePdf(await stamped(doc)))),
    ).toBe(0);
  });
});

describe("a claim package with large evidence", () => {
  it("stores the large evidence as it is saved, the same bytes in a PDF thread as on the calling thread", async () => {
    const scan = await scanPdf(5, 1_000_000); // over STORE_WHILE_SAVING_BYTES
    const small = await scanPdf(1, 1_000);
    const inline = memoryStore();
    const here = await buildClaimPackage(input(scan, small), inline.store);
    const [large, smallDocument] = here.attachments;
    expect("stored" in large && !("bytes" in large)).toBe(true);
    expect("bytes" in smallDocument).toBe(true); // small evidence stays in memory, as before
    const whole = await savePdf(await stamped(scan));
    expect(Buffer.compare(inline.kept[0].bytes, Buffer.from(whole))).toBe(0);
    expect(large.sha256).toBe(createHash("sha256").update(whole).digest("hex"));
    expect(large.pageCount).toBe(5);

    pool = new PdfThreadPool({ threads: 1, maxHeapMb: 256, timeoutMs: 60_000, limits: DEFAULT_EVIDENCE_LIMITS });
    const threaded = memoryStore();
    // (The files' buffers are moved to the thread: nothing here reads them afterwards.)
    const there = await pool.run(input(scan, small), threaded.store);
    expect(there.attachments.map((a) => a.sha256)).toEqual(here.attachments.map((a) => a.sha256));
    expect(Buffer.compare(threaded.kept[0].bytes, Buffer.from(whole))).toBe(0);
    expect(threaded.kept[0].chunks).toBeGreaterThan(1); // sent in chunks, not as one buffer
  });

  it("fails the claim when storage refuses the document, and the thread serves the next claim", async () => {
    pool = new PdfThreadPool({ threads: 1, maxHeapMb: 256, timeoutMs: 60_000, limits: DEFAULT_EVIDENCE_LIMITS });
    let read = 0;
    const refusing: StoreDocument = async (chunks) => {
      for await (const c of chunks) {
        read += c.byteLength;
        if (read > 2_000_000) throw new Error("disk full");
      }
      throw new Error("unreachable");
    };
    await expect(pool.run(input(await scanPdf(5, 1_000_000), await scanPdf(1, 1_000)), refusing)).rejects.toThrow(
      /disk full/,
    );
    // The thread goes on serving claims.
    const next = memoryStore();
    const pkg = await pool.run(input(await scanPdf(5, 1_000_000), await scanPdf(1, 1_000)), next.store);
    expect(next.kept).toHaveLength(1);
    expect(pkg.attachments).toHaveLength(2);
  });

  it("ends a document still arriving when its thread stops, so storage never takes it as complete", async () => {
    const threads = new PdfThreadPool({
      threads: 1,
      maxHeapMb: 256,
      timeoutMs: 60_000,
      limits: DEFAULT_EVIDENCE_LIMITS,
    });
    pool = threads;
    let storageSaw: (seen: unknown) => void = () => {};
    const seen = new Promise((resolve) => (storageSaw = resolve));
    const halting: StoreDocument = async (chunks) => {
      try {
        for await (const _ of chunks) await threads.close(); // the thread goes away mid-document
        storageSaw("the end of the document");
      } catch (error) {
        storageSaw(error);
      }
      throw new Error("not stored");
    };
    const run = threads.run(input(await scanPdf(5, 1_000_000), await scanPdf(1, 1_000)), halting);
    await expect(run).rejects.toThrow(/closed/);
    expect(String(await seen)).toMatch(/the PDF thread pool was closed/);
  });
});

describe("large evidence parsed from its file", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "pdf-file-source-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("saves the same bytes as from memory, reading the image data from the file as it is written", async () => {
    const scan = await scanPdf(5, 1_000_000);
    const file = path.join(dir, "scan.pdf");
    writeFileSync(file, scan);
    const source = new FileBytes(file);
    const doc = await loadPdf(source);
    applyStamps(doc, stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: true }));
    const chunks: number[] = [];
    const bytes = await join(
      (async function* () {
        for await (const c of savePdfChunks(doc)) {
          chunks.push(c.byteLength);
          yield c;
        }
      })(),
    );
    source.close();
    expect(Buffer.compare(bytes, Buffer.from(await savePdf(await stamped(scan))))).toBe(0);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(1024 * 1024); // never a whole image, never the file
  });

  it("in a PDF thread: stored as from memory, the file closed when the task ends", async () => {
    const scan = await scanPdf(5, 1_000_000);
    const small = await scanPdf(1, 1_000);
    const file = path.join(dir, "scan.pdf");
    writeFileSync(file, scan);
    pool = new PdfThreadPool({ threads: 1, maxHeapMb: 256, timeoutMs: 60_000, limits: DEFAULT_EVIDENCE_LIMITS });
    const threaded = memoryStore();
    const fromFile = {
      ...input(scan, small),
      attachments: [
        { fileName: "scan.pdf", contentType: "application/pdf", file, byteLength: scan.byteLength },
        { fileName: "small.pdf", contentType: "application/pdf", bytes: small },
      ],
    };
    const pkg = await pool.run(fromFile, threaded.store);
    const whole = await savePdf(await stamped(scan));
    expect(Buffer.compare(threaded.kept[0].bytes, Buffer.from(whole))).toBe(0);
    expect(pkg.attachments[0].pageCount).toBe(5);
    const open = readdirSync("/proc/self/fd").filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false; // closed while listing (the directory's own descriptor)
      }
    });
    expect(open).toEqual([]);
  });
});
