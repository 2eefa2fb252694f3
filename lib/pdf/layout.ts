import { type PDFDocument, type PDFFont, StandardFonts } from "pdf-lib";
import { PagePainter, type PainterFont, type Rgb } from "./painter";
import { sanitizeWinAnsi, TextMeasure, takeLine, wrapText } from "./text";

// A small flowing layout for the rendered forms: title, section headings, label/value rows and
// paragraphs, with page breaks and a running header drawn once the page count is known.
// The page keeps two bands free for the reference stamps (docs/design.md §4): everything above y = 760
// (FDC stamp at 400,770) and the bottom-left below y = 20 (VA.GOV stamp at 5,5).

export const LETTER = { width: 612, height: 792 } as const;

const LEFT = 54;
const RIGHT = 558;
const CONTENT_TOP = 722; // first line of content on every page
const CONTENT_BOTTOM = 48; // nothing below this but the footer and the VA.GOV stamp
const HEADER_BASELINE = 746;
const HEADER_RULE = 739;
const FOOTER_BASELINE = 26;
const LABEL_WIDTH = 150;
const VALUE_X = LEFT + LABEL_WIDTH + 12;

export const INK: Rgb = [0.1, 0.1, 0.12];
export const MUTED: Rgb = [0.38, 0.38, 0.42];
const RULE: Rgb = [0.72, 0.72, 0.76];

const BODY = 10;
const LINE = 13;

/** A band of the page, right of `x`, that text must not enter (a stamp goes there). */
export type KeepOut = { x: number; yBottom: number; yTop: number };

export type FormFonts = { regular: PDFFont; bold: PDFFont };

/** Embeds the two standard fonts once per document (no font program is written for them). */
export function embedFormFonts(doc: PDFDocument): FormFonts {
  return {
    regular: doc.embedStandardFont(StandardFonts.Helvetica),
    bold: doc.embedStandardFont(StandardFonts.HelveticaBold),
  };
}

type Face = { key: PainterFont; measure: TextMeasure };

export class FormWriter {
  private readonly painters: PagePainter[] = [];
  private painter!: PagePainter;
  private cursor = CONTENT_TOP; // top of the free space on the current page
  private readonly regular: Face;
  private readonly bold: Face;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: FormFonts,
    private readonly keepOut: KeepOut[] = [],
  ) {
    this.regular = { key: "F1", measure: new TextMeasure(fonts.regular) };
    this.bold = { key: "F2", measure: new TextMeasure(fonts.bold) };
    this.newPage();
  }

  newPage(): void {
    this.painter = new PagePainter(this.doc.addPage([LETTER.width, LETTER.height]));
    this.painters.push(this.painter);
    this.cursor = CONTENT_TOP;
  }

  /** Breaks the page unless `height` points are still free (keeps headings with their rows). */
  ensure(height: number): void {
    if (this.cursor - height < CONTENT_BOTTOM) this.newPage();
  }

  space(points: number): void {
    this.cursor = Math.max(this.cursor - points, CONTENT_BOTTOM);
  }

  /** The right edge a line occupying [top - height, top] may use, given the stamp keep-outs. */
  private rightEdge(top: number, height: number): number {
    let edge = RIGHT;
    for (const k of this.keepOut) {
      if (top - height < k.yTop && top > k.yBottom) edge = Math.min(edge, k.x - 6);
    }
    return edge;
  }

  private keepOutBottom(top: number, height: number): number {
    let below = top;
    for (const k of this.keepOut) {
      if (top - height < k.yTop && top > k.yBottom) below = Math.min(below, k.yBottom);
    }
    return below;
  }

  /**
   * Finds the next line for `words` from `start` at column `x`, breaking the page when needed.
   * Beside a stamp keep-out the line is narrower; if a word would have to be cut there (a GUID,
   * a URL) the line moves below the keep-out instead, which reads better than a split token.
   */
  private nextLine(words: string[], start: number, x: number, size: number, lineHeight: number, face: Face) {
    for (;;) {
      if (this.cursor - lineHeight < CONTENT_BOTTOM) this.newPage();
      const edge = this.rightEdge(this.cursor, lineHeight);
      const taken = takeLine(words, start, face.measure, size, edge - x);
      if (edge < RIGHT && taken.remainder !== undefined) {
        const below = this.keepOutBottom(this.cursor, lineHeight);
        if (below < this.cursor) {
          this.cursor = below;
          continue;
        }
      }
      if (taken.remainder !== undefined) words[taken.next] = taken.remainder;
      return taken;
    }
  }

  /** Flows text (already sanitised) at column x; returns the number of lines drawn. */
  private flow(
    text: string,
    x: number,
    size: number,
    lineHeight: number,
    face: Face,
    color: Rgb,
    beside?: string[],
  ): number {
    let line = 0;
    for (const paragraph of text.split("\n")) {
      const words = paragraph.split(/ +/).filter(Boolean);
      let i = 0;
      do {
        const taken = this.nextLine(words, i, x, size, lineHeight, face);
        const baseline = this.cursor - size * 0.95;
        // The row's label goes beside the value's lines, wherever they ended up.
        if (beside && line < beside.length) this.painter.text(beside[line], LEFT, baseline, 9, this.bold.key, MUTED);
        this.painter.text(taken.text, x, baseline, size, face.key, color);
        i = taken.next;
        line++;
        this.cursor -= lineHeight;
      } while (i < words.length);
    }
    return line;
  }

  /** The first-page block: form number, title, a one-line explanation. */
  title(formNumber: string, title: string, note: string): void {
    this.painter.text(sanitizeWinAnsi(`VA FORM ${formNumber}`), LEFT, this.cursor - 9, 9, this.bold.key, MUTED);
    this.cursor -= 16;
    this.flow(sanitizeWinAnsi(title), LEFT, 16, 20, this.bold, INK);
    this.flow(sanitizeWinAnsi(note), LEFT, 9, 12, this.regular, MUTED);
    this.space(4);
  }

  heading(text: string): void {
    // Room for the heading and two rows, so a heading never sits alone at the foot of a page.
    this.ensure(22 + 2 * LINE + 6);
    this.cursor -= 10;
    const edge = this.rightEdge(this.cursor, 18);
    this.painter.text(sanitizeWinAnsi(text), LEFT, this.cursor - 11, 11.5, this.bold.key, INK);
    this.painter.line(LEFT, this.cursor - 15, edge, this.cursor - 15, 0.6, RULE);
    this.cursor -= 22;
  }

  /** A numbered item inside a section (one disability, one child), kept with its first rows. */
  subheading(text: string, keepWithRows = 2): void {
    this.ensure(18 + keepWithRows * LINE);
    this.cursor -= 4;
    this.flow(sanitizeWinAnsi(text), LEFT, 10, 14, this.bold, INK);
  }

  /** A label/value row; the value wraps in its column and may continue on the next page. */
  row(label: string, value: string): void {
    const labelLines = wrapText(sanitizeWinAnsi(label), this.bold.measure, 9, LABEL_WIDTH);
    const shown = sanitizeWinAnsi(value);
    const empty = shown.trim() === "";
    const drawn = this.flow(
      empty ? "Not provided" : shown,
      VALUE_X,
      BODY,
      LINE,
      this.regular,
      empty ? MUTED : INK,
      labelLines,
    );
    for (let line = drawn; line < labelLines.length; line++) {
      this.painter.text(labelLines[line], LEFT, this.cursor - 9.5, 9, this.bold.key, MUTED);
      this.cursor -= LINE;
    }
    this.cursor -= 3;
  }

  /** Free text across the full content width. */
  paragraph(text: string, opts: { size?: number; color?: Rgb } = {}): void {
    const size = opts.size ?? BODY;
    this.flow(sanitizeWinAnsi(text), LEFT, size, Math.round(size * 1.3), this.regular, opts.color ?? INK);
  }

  /**
   * Draws the running header ("VA Form 21-526EZ — page n of m" and the veteran's name) and the
   * footer (confirmation number) on every page, now that the page count is known, then writes
   * each page's content stream.
   */
  finish(opts: { formNumber: string; veteranName: string; claimGuid: string }): void {
    const total = this.painters.length;
    const name = sanitizeWinAnsi(opts.veteranName);
    const footer = sanitizeWinAnsi(`Confirmation number ${opts.claimGuid}`);
    const footerX = RIGHT - this.regular.measure.width(footer, 7.5);
    const nameX = RIGHT - this.regular.measure.width(name, 9);
    const fonts = { F1: this.fonts.regular, F2: this.fonts.bold };
    this.painters.forEach((painter, index) => {
      const header = sanitizeWinAnsi(`VA Form ${opts.formNumber} \u2014 page ${index + 1} of ${total}`);
      painter.text(header, LEFT, HEADER_BASELINE, 9, this.bold.key, INK);
      painter.text(name, nameX, HEADER_BASELINE, 9, this.regular.key, MUTED);
      painter.line(LEFT, HEADER_RULE, RIGHT, HEADER_RULE, 0.6, RULE);
      painter.text(footer, footerX, FOOTER_BASELINE, 7.5, this.regular.key, MUTED);
      painter.flush(this.doc, fonts);
    });
  }
}
