// The checks Benefits Intake applies to each PDF, with a real parse (pdf-lib): readable, not
// encrypted, at most 100 MB, pages within 78 × 101 inches (the limit its validator enforces).

import { PDFDocument, type PDFPage } from "pdf-lib";

export const MAX_DOCUMENT_BYTES = 100_000_000;
export const MAX_PAGE_WIDTH_IN = 78;
export const MAX_PAGE_HEIGHT_IN = 101;
const POINTS_PER_INCH = 72;

export type PdfCheckResult =
  | { ok: true; pages: number }
  | { ok: false; code: "DOC103" | "DOC106" | "DOC108"; detail: string };

function invalid(part: string, why: string): PdfCheckResult {
  return { ok: false, code: "DOC103", detail: `Invalid PDF content, part ${part}: ${why}` };
}

export async function checkPdf(bytes: Uint8Array, part: string): Promise<PdfCheckResult> {
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) {
    return {
      ok: false,
      code: "DOC106",
      detail: `Maximum document size exceeded. Limit is 100MB per document (part ${part})`,
    };
  }
  // Readers accept a header anywhere in the first kilobyte; so does this.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (!head.includes("%PDF-")) return invalid(part, "not a PDF");

  let doc: PDFDocument;
  try {
    // Loaded past its encryption only to look at it: pdf-lib's own EncryptedPDFError cannot be
    // told apart with instanceof (it is compiled to ES5), `isEncrypted` can.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    return invalid(part, "the PDF could not be parsed");
  }
  // The service refuses any password, owner or user (docs/design.md §5), so any encryption fails here.
  if (doc.isEncrypted) return invalid(part, "the PDF is encrypted (no password is allowed)");

  let pages: PDFPage[];
  try {
    pages = doc.getPages();
  } catch {
    return invalid(part, "the page tree could not be read");
  }
  if (pages.length === 0) return invalid(part, "the PDF has no pages");

  for (const [i, page] of pages.entries()) {
    const { width, height } = page.getSize();
    const w = Math.abs(width) / POINTS_PER_INCH;
    const h = Math.abs(height) / POINTS_PER_INCH;
    if (w > MAX_PAGE_WIDTH_IN || h > MAX_PAGE_HEIGHT_IN) {
      return {
        ok: false,
        code: "DOC108",
        detail:
          `Maximum page size exceeded. Limit is ${MAX_PAGE_WIDTH_IN} in x ${MAX_PAGE_HEIGHT_IN} in ` +
          `(part ${part}, page ${i + 1} is ${w.toFixed(1)} in x ${h.toFixed(1)} in)`,
      };
    }
  }
  return { ok: true, pages: pages.length };
}
