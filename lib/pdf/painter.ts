import { deflateSync } from "node:zlib";
import { type PDFDocument, type PDFFont, PDFName, type PDFPage, PDFRawStream } from "pdf-lib";
import { toPdfLiteral } from "./text";

// Writes a page's content stream as text, then registers it once, deflated with Node's native
// zlib. pdf-lib's drawText builds a dozen operator objects per line and deflates with pako (pure
// JS): measured on a one-page 526EZ, that took the render from ~5 ms to ~1.5 ms. Level 1: text
// streams compress about as well as at level 6, in a quarter of the time.

export type Rgb = readonly [number, number, number];

/** The page's font resource names; set on every page by flush(). */
export type PainterFont = "F1" | "F2";

const n = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, ""));
const rgbOp = (c: Rgb, op: "rg" | "RG") => `${n(c[0])} ${n(c[1])} ${n(c[2])} ${op}`;

export class PagePainter {
  private readonly ops: string[] = [];

  constructor(readonly page: PDFPage) {}

  /** One line of already sanitised text with its baseline at (x, y). */
  text(text: string, x: number, y: number, size: number, font: PainterFont, color: Rgb): void {
    if (!text) return;
    this.ops.push(`BT /${font} ${n(size)} Tf ${rgbOp(color, "rg")} ${n(x)} ${n(y)} Td ${toPdfLiteral(text)} Tj ET`);
  }

  line(x1: number, y1: number, x2: number, y2: number, width: number, color: Rgb): void {
    this.ops.push(`${n(width)} w ${rgbOp(color, "RG")} ${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`);
  }

  /** Registers the content stream and the font resources on the page. Call once. */
  flush(doc: PDFDocument, fonts: Record<PainterFont, PDFFont>): void {
    // Fonts first: the page is normalised while it has no content yet, so pdf-lib does not wrap
    // our (balanced) stream in an extra q/Q pair.
    this.page.node.setFontDictionary(PDFName.of("F1"), fonts.F1.ref);
    this.page.node.setFontDictionary(PDFName.of("F2"), fonts.F2.ref);
    const content = Buffer.from(`q\n${this.ops.join("\n")}\nQ\n`, "latin1");
    const stream = PDFRawStream.of(doc.context.obj({ Filter: "FlateDecode" }), deflateSync(content, { level: 1 }));
    this.page.node.set(PDFName.Contents, doc.context.obj([doc.context.register(stream)]));
  }
}
