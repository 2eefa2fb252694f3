import { type PDFDocument, type PDFFont, type PDFRef, StandardFonts } from "pdf-lib";
import { PagePainter, type PainterEncoders, type PainterFont, type Rgb } from "./painter";
import { needsUnicodeFont, sanitizeFor, sanitizeWinAnsi, TextMeasure, takeLine, toPdfLiteral, wrapText } from "./text";
import { UnicodeFace } from "./unicode-font";

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

export type FontWeight = "regular" | "bold";

/**
 * The form's fonts: Helvetica (a standard font: no font program written), and Noto Sans for a
 * string with letters beyond Helvetica's WinAnsi set, made on first use and embedded as a subset
 * of the glyphs drawn. Most forms never need it and cost nothing more; in one that does, only
 * those strings (a name, an address) are drawn in it, so the subset stays a few dozen glyphs.
 */
export type FormFonts = {
  helvetica: Record<FontWeight, PDFFont>;
  unicode(weight: FontWeight): UnicodeFace;
  /** Writes the Noto Sans subsets used, once every string has been drawn. */
  finish(): void;
  /** The resources each page lists. */
  refs(): Partial<Record<PainterFont, PDFRef>>;
};

const KEYS: Record<FontWeight, { standard: PainterFont; unicode: PainterFont }> = {
  regular: { standard: "F1", unicode: "F3" },
  bold: { standard: "F2", unicode: "F4" },
};

export function embedFormFonts(doc: PDFDocument): FormFonts {
  const helvetica = {
    regular: doc.embedStandardFont(StandardFonts.Helvetica),
    bold: doc.embedStandardFont(StandardFonts.HelveticaBold),
  };
  const unicode: Partial<Record<FontWeight, UnicodeFace>> = {};
  return {
    helvetica,
    unicode(weight) {
      unicode[weight] ??= new UnicodeFace(doc, weight);
      return unicode[weight];
    },
    finish() {
      unicode.regular?.embed();
      unicode.bold?.embed();
    },
    refs() {
      const refs: Partial<Record<PainterFont, PDFRef>> = { F1: helvetica.regular.ref, F2: helvetica.bold.ref };
      if (unicode.regular) refs.F3 = unicode.regular.ref;
      if (unicode.bold) refs.F4 = unicode.bold.ref;
      return refs;
    },
  };
}

type Face = { key: PainterFont; measure: TextMeasure };
/** A string ready to draw: cleaned for the face it will be drawn in. */
type Shaped = { text: string; face: Face };

export class FormWriter {
  private readonly painters: PagePainter[] = [];
  private painter!: PagePainter;
  private cursor = CONTENT_TOP; // top of the free space on the current page
  private readonly faces = new Map<PainterFont, Face>();
  private readonly encoders: PainterEncoders;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: FormFonts,
    private readonly keepOut: KeepOut[] = [],
  ) {
    this.faces.set("F1", { key: "F1", measure: new TextMeasure(fonts.helvetica.regular) });
    this.faces.set("F2", { key: "F2", measure: new TextMeasure(fonts.helvetica.bold) });
    this.encoders = {
      F1: toPdfLiteral,
      F2: toPdfLiteral,
      F3: (text) => fonts.unicode("regular").encode(text),
      F4: (text) => fonts.unicode("bold").encode(text),
    };
    this.newPage();
  }

  /** Helvetica when it can show the text; Noto Sans when it has letters beyond WinAnsi. */
  private shape(raw: string, weight: FontWeight): Shaped {
    if (!needsUnicodeFont(raw)) return { text: sanitizeWinAnsi(raw), face: this.faces.get(KEYS[weight].standard)! };
    const key = KEYS[weight].unicode;
    const font = this.fonts.unicode(weight);
    let face = this.faces.get(key);
    if (!face) {
      face = { key, measure: new TextMeasure(font) };
      this.faces.set(key, face);
    }
    return { text: sanitizeFor(raw, (cp) => font.canShow(cp)), face };
  }

  newPage(): void {
    this.painter = new PagePainter(this.doc.addPage([LETTER.width, LETTER.height]), this.encoders);
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

  /** Flows shaped text at column x; returns the number of lines drawn. */
  private flow(
    { text, face }: Shaped,
    x: number,
    size: number,
    lineHeight: number,
    color: Rgb,
    beside?: { lines: string[]; face: Face },
  ): number {
    let line = 0;
    for (const paragraph of text.split("\n")) {
      const words = paragraph.split(/ +/).filter(Boolean);
      let i = 0;
      do {
        const taken = this.nextLine(words, i, x, size, lineHeight, face);
        const baseline = this.cursor - size * 0.95;
        // The row's label goes beside the value's lines, wherever they ended up.
        if (beside && line < beside.lines.length) {
          this.painter.text(beside.lines[line], LEFT, baseline, 9, beside.face.key, MUTED);
        }
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
    const number = this.shape(`VA FORM ${formNumber}`, "bold");
    this.painter.text(number.text, LEFT, this.cursor - 9, 9, number.face.key, MUTED);
    this.cursor -= 16;
    this.flow(this.shape(title, "bold"), LEFT, 16, 20, INK);
    this.flow(this.shape(note, "regular"), LEFT, 9, 12, MUTED);
    this.space(4);
  }

  heading(text: string): void {
    // Room for the heading and two rows, so a heading never sits alone at the foot of a page.
    this.ensure(22 + 2 * LINE + 6);
    this.cursor -= 10;
    const edge = this.rightEdge(this.cursor, 18);
    const shaped = this.shape(text, "bold");
    this.painter.text(shaped.text, LEFT, this.cursor - 11, 11.5, shaped.face.key, INK);
    this.painter.line(LEFT, this.cursor - 15, edge, this.cursor - 15, 0.6, RULE);
    this.cursor -= 22;
  }

  /** A numbered item inside a section (one disability, one child), kept with its first rows. */
  subheading(text: string, keepWithRows = 2): void {
    this.ensure(18 + keepWithRows * LINE);
    this.cursor -= 4;
    this.flow(this.shape(text, "bold"), LEFT, 10, 14, INK);
  }

  /** A label/value row; the value wraps in its column and may continue on the next page. */
  row(label: string, value: string): void {
    const shapedLabel = this.shape(label, "bold");
    const labelLines = wrapText(shapedLabel.text, shapedLabel.face.measure, 9, LABEL_WIDTH);
    const shown = this.shape(value, "regular");
    const empty = shown.text.trim() === "";
    const drawn = this.flow(
      empty ? this.shape("Not provided", "regular") : shown,
      VALUE_X,
      BODY,
      LINE,
      empty ? MUTED : INK,
      { lines: labelLines, face: shapedLabel.face },
    );
    for (let line = drawn; line < labelLines.length; line++) {
      this.painter.text(labelLines[line], LEFT, this.cursor - 9.5, 9, shapedLabel.face.key, MUTED);
      this.cursor -= LINE;
    }
    this.cursor -= 3;
  }

  /** Free text across the full content width. */
  paragraph(text: string, opts: { size?: number; color?: Rgb } = {}): void {
    const size = opts.size ?? BODY;
    this.flow(this.shape(text, "regular"), LEFT, size, Math.round(size * 1.3), opts.color ?? INK);
  }

  /**
   * Draws the running header ("VA Form 21-526EZ — page n of m" and the veteran's name) and the
   * footer (confirmation number) on every page, now that the page count is known, then writes
   * each page's content stream.
   */
  finish(opts: { formNumber: string; veteranName: string; claimGuid: string }): void {
    const total = this.painters.length;
    const name = this.shape(opts.veteranName, "regular");
    const footer = this.shape(`Confirmation number ${opts.claimGuid}`, "regular");
    const footerX = RIGHT - footer.face.measure.width(footer.text, 7.5);
    const nameX = RIGHT - name.face.measure.width(name.text, 9);
    this.painters.forEach((painter, index) => {
      const header = this.shape(`VA Form ${opts.formNumber} \u2014 page ${index + 1} of ${total}`, "bold");
      painter.text(header.text, LEFT, HEADER_BASELINE, 9, header.face.key, INK);
      painter.text(name.text, nameX, HEADER_BASELINE, 9, name.face.key, MUTED);
      painter.line(LEFT, HEADER_RULE, RIGHT, HEADER_RULE, 0.6, RULE);
      painter.text(footer.text, footerX, FOOTER_BASELINE, 7.5, footer.face.key, MUTED);
    });
    // Every string is drawn: the font resources are known, and the subsets can be written.
    const refs = this.fonts.refs();
    for (const painter of this.painters) painter.flush(this.doc, refs);
    this.fonts.finish();
  }
}
