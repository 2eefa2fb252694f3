import { existsSync } from "node:fs";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

// Reads a PDF back with pdfjs (an independent parser: Firefox's) so tests check what a reader
// sees, not what pdf-lib thinks it wrote.

export type PdfTextItem = {
  str: string;
  /** The text origin in PDF user space (points from the bottom-left of the media box). */
  x: number;
  y: number;
  /** The text's direction in degrees (0 = left to right, 90 = bottom to top). */
  angle: number;
  width: number;
  height: number;
};

export type PdfPageText = {
  pageNumber: number;
  width: number;
  height: number;
  rotation: number; // the page's /Rotate
  items: PdfTextItem[];
  /** Every item's text joined with newlines, for "contains" assertions. */
  text: string;
};

// pdfjs in Node reads its standard font metrics from disk; without them it warns on every page.
// (Tests run from the repository root.)
const fontDir = path.join(process.cwd(), "node_modules/pdfjs-dist/standard_fonts");
const standardFontDataUrl = existsSync(fontDir) ? `${fontDir}/` : undefined;

export type PdfTextOptions = { password?: string };

/** Opens a PDF with pdfjs and returns the text items of every page. */
export async function extractPdfText(bytes: Uint8Array, options: PdfTextOptions = {}): Promise<PdfPageText[]> {
  const task = getDocument({
    data: new Uint8Array(bytes), // pdfjs takes ownership of (detaches) the buffer it is given
    password: options.password,
    standardFontDataUrl,
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const pages: PdfPageText[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const [x0, y0, x1, y1] = page.view;
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!("str" in item) || item.str.trim() === "") continue; // pdfjs adds spacer items
        const [a, b, , , e, f] = item.transform as number[];
        items.push({
          str: item.str,
          x: e,
          y: f,
          angle: Math.round((Math.atan2(b, a) * 180) / Math.PI),
          width: item.width,
          height: item.height,
        });
      }
      pages.push({
        pageNumber: n,
        width: x1 - x0,
        height: y1 - y0,
        rotation: page.rotate,
        items,
        text: items.map((i) => i.str).join("\n"),
      });
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** The items whose text is exactly `str` (trimmed), on one page. */
export function findText(page: PdfPageText, str: string): PdfTextItem[] {
  return page.items.filter((i) => i.str.trim() === str);
}
