import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { attachmentToPdf, openEvidence } from "@/lib/pdf/attachments";
import { isPdfInputError, type PdfInputError } from "@/lib/pdf/errors";
import { DEFAULT_EVIDENCE_LIMITS, type EvidenceLimits } from "@/lib/pdf/limits";
import {
  declaredPngBomb,
  deeplyNestedPdf,
  deepPageTreePdf,
  inflatingPngBomb,
  manyPagesPdf,
  objectStreamBombPdf,
} from "../support/hostile-evidence";
import { makePng, makeSizedPdf, TINY_JPEG } from "../support/pdf-test-files";

// Issue #14.3: evidence past the limits is refused with the figure and the limit in the reason,
// as a permanent failure (PdfInputError), before the work that would exhaust the worker.

const MB = 1024 * 1024;
const file = (fileName: string, contentType: string, bytes: Uint8Array) => ({ fileName, contentType, bytes });

async function refusal(input: ReturnType<typeof file>, limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS) {
  try {
    await attachmentToPdf(input, limits);
  } catch (error) {
    expect(isPdfInputError(error), String(error)).toBe(true);
    return error as PdfInputError;
  }
  throw new Error(`expected ${input.fileName} to be refused`);
}

describe("evidence limits", () => {
  it("refuses a PNG that declares more pixels than the limit, without inflating anything", async () => {
    const error = await refusal(file("bomb.png", "image/png", declaredPngBomb()));
    expect(error.code).toBe("over_limit");
    expect(error.message).toBe(
      "bomb.png: the PNG is 100000 x 100000 pixels (10,000 megapixels), over the 50 megapixels limit",
    );
  });

  it("stops a PNG whose data inflates past the limit", async () => {
    const bomb = inflatingPngBomb(512 * MB); // 4,000 x 4,000 grey: 16 MB of rows, 512 MB of zeros
    expect(bomb.byteLength).toBeLessThan(MB);
    const error = await refusal(file("bomb.png", "image/png", bomb), {
      ...DEFAULT_EVIDENCE_LIMITS,
      maxInflatedBytes: 64 * MB,
    });
    expect(error.code).toBe("over_limit");
    expect(error.message).toBe("bomb.png: the PNG's image data inflates to more than the 64 MB limit");
  });

  it("refuses a PNG whose rows alone would pass the inflated-bytes limit", async () => {
    const error = await refusal(file("wide.png", "image/png", makePng(2000, 1000)), {
      ...DEFAULT_EVIDENCE_LIMITS,
      maxInflatedBytes: MB,
    });
    expect(error.message).toBe("wide.png: the PNG's decoded pixels take 6 MB, over the 1 MB limit");
  });

  it("refuses a JPEG over the pixel limit (read from its frame header)", async () => {
    const error = await refusal(file("scan.jpg", "image/jpeg", TINY_JPEG), {
      ...DEFAULT_EVIDENCE_LIMITS,
      maxImagePixels: 1_000,
    });
    expect(error.message).toBe(
      "scan.jpg: the JPEG is 48 x 32 pixels (0.002 megapixels), over the 0.001 megapixels limit",
    );
  });

  it("stops a PDF whose object stream inflates past the limit, before pdf-lib decodes it", async () => {
    const error = await refusal(file("bomb.pdf", "application/pdf", objectStreamBombPdf(512 * MB)), {
      ...DEFAULT_EVIDENCE_LIMITS,
      maxInflatedBytes: 64 * MB,
    });
    expect(error.code).toBe("over_limit");
    expect(error.message).toBe("bomb.pdf: its object streams inflate to more than the 64 MB limit");
  });

  it("refuses a PDF with more pages than the limit", async () => {
    const error = await refusal(file("many.pdf", "application/pdf", manyPagesPdf(6_000)));
    expect(error.code).toBe("over_limit");
    expect(error.message).toBe("many.pdf: the PDF has 6,000 pages, over the 5,000-page limit");
  });

  it("refuses a page tree nested too deep to walk as unreadable, and reads past a deeply nested array", async () => {
    const tree = await refusal(file("deep.pdf", "application/pdf", deepPageTreePdf(100_000)));
    expect(tree.code).toBe("unreadable");
    // pdf-lib gives up on the nested object and keeps the page: the file converts.
    const nested = await attachmentToPdf(file("nested.pdf", "application/pdf", deeplyNestedPdf(100_000)));
    expect(nested.byteLength).toBeGreaterThan(0);
  });

  it("lets ordinary evidence through under the default limits", async () => {
    await expect(attachmentToPdf(file("photo.png", "image/png", makePng(1600, 1200)))).resolves.toBeInstanceOf(
      Uint8Array,
    );
    const pdf = await makeSizedPdf(Array.from({ length: 40 }, () => [612, 792] as [number, number]));
    await expect(attachmentToPdf(file("records.pdf", "application/pdf", pdf))).resolves.toBeInstanceOf(Uint8Array);
  });
});

describe("evidence limits on a file (large evidence is parsed from its file)", () => {
  async function refusedFromFile(bytes: Uint8Array, limits: EvidenceLimits) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pdf-limits-"));
    try {
      const file = path.join(dir, "bomb.pdf");
      writeFileSync(file, bytes);
      const input = { fileName: "bomb.pdf", contentType: "application/pdf", file, byteLength: bytes.byteLength };
      const opened = await openEvidence(input, limits).then(
        (o) => o.close(),
        (error: unknown) => error,
      );
      expect(isPdfInputError(opened), String(opened)).toBe(true);
      return opened as PdfInputError;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("stops an object stream that inflates past the limit, and too many pages, as from memory", async () => {
    const bomb = await refusedFromFile(objectStreamBombPdf(512 * MB), {
      ...DEFAULT_EVIDENCE_LIMITS,
      maxInflatedBytes: 64 * MB,
    });
    expect(bomb.message).toBe("bomb.pdf: its object streams inflate to more than the 64 MB limit");
    const many = await refusedFromFile(manyPagesPdf(6_000), DEFAULT_EVIDENCE_LIMITS);
    expect(many.code).toBe("over_limit");
  });
});
