import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { create as createFont, type Font, type Subset } from "fontkit";
import { type PDFDocument, PDFRawStream, type PDFRef, PDFString } from "pdf-lib";

// Noto Sans (SIL Open Font License 1.1, from @expo-google-fonts/noto-sans), embedded as a subset
// of the glyphs a form uses, for the forms whose text Helvetica cannot show (issue #15: the
// stamped PDF is the legal record of what the veteran wrote: "Łukasz", "Nguyễn", "Дмитрий").
//
// Written by hand rather than with pdf-lib's embedFont: that shapes every string with fontkit's
// layout engine (about 20 ms per line measured here), where a form needs one cmap lookup per
// character; and its fontkit fork's subsets of Noto Sans lose most glyphs in poppler, where
// fontkit 2's render. Glyphs get subset ids in the order they are first drawn, so the same form gives the
// same bytes every time (content-addressed storage keeps one copy).

export type FontWeight = "regular" | "bold";

const FILES: Record<FontWeight, string> = {
  regular: "@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf",
  bold: "@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf",
};
const STEM_V: Record<FontWeight, number> = { regular: 80, bold: 140 };

const loaded = new Map<FontWeight, Font>();

function fontOf(weight: FontWeight): Font {
  let font = loaded.get(weight);
  if (!font) {
    // Resolved from the project at run time, not imported: the web app's bundle includes this
    // module (through the job registry) but never renders a PDF.
    const file = createRequire(path.join(process.cwd(), "package.json")).resolve(FILES[weight]);
    font = createFont(readFileSync(file)) as Font; // a .ttf is one font, never a collection
    loaded.set(weight, font);
  }
  return font;
}

const hex4 = (n: number) => n.toString(16).padStart(4, "0");
const utf16Hex = (cp: number) => Buffer.from(String.fromCodePoint(cp), "utf16le").swap16().toString("hex");

/** One weight of Noto Sans in one document: measures, encodes (Identity-H) and, last, embeds. */
export class UnicodeFace {
  readonly name: string;
  readonly ref: PDFRef;
  private readonly font: Font;
  private readonly scale: number;
  private readonly subset: Subset;
  private readonly ids = new Map<number, number>(); // code point -> subset glyph id
  private readonly glyphs: { cp: number; width: number }[] = []; // by subset id - 1

  constructor(
    private readonly doc: PDFDocument,
    private readonly weight: FontWeight,
  ) {
    this.font = fontOf(weight);
    this.name = this.font.postscriptName ?? `NotoSans-${weight}`;
    this.scale = 1000 / this.font.unitsPerEm;
    this.subset = this.font.createSubset();
    this.ref = doc.context.nextRef();
  }

  canShow(cp: number): boolean {
    return this.font.hasGlyphForCodePoint(cp);
  }

  /** Like PDFFont's: the advance widths summed (Tj does not kern). */
  widthOfTextAtSize(text: string, size: number): number {
    let total = 0;
    for (const ch of text) total += this.font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth;
    return (total * this.scale * size) / 1000;
  }

  /** The hex string operand for Tj. `text` holds only characters canShow accepts. */
  encode(text: string): string {
    let out = "<";
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let id = this.ids.get(cp);
      if (id === undefined) {
        const glyph = this.font.glyphForCodePoint(cp);
        // Returns the glyph's id in the subset (@types/fontkit says boolean; fontkit 2 returns the id).
        id = this.subset.includeGlyph(glyph) as unknown as number;
        this.ids.set(cp, id);
        if (id > 0) this.glyphs[id - 1] ??= { cp, width: Math.round(glyph.advanceWidth * this.scale) };
      }
      out += hex4(id);
    }
    return `${out}>`;
  }

  /** Writes the font (a Type0 font over the glyph subset) under `ref`. Call once all text is encoded. */
  embed(): void {
    const { context } = this.doc;
    const fontFile = this.subset.encode();
    // A subset is named TAG+Font, the tag differing between subsets: from the glyphs it holds.
    const digest = createHash("sha256")
      .update(this.glyphs.map((g) => g.cp).join(","))
      .digest();
    const tag = Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join("");
    const baseFont = `${tag}+${this.name}`;
    const s = (v: number) => Math.round(v * this.scale);
    const { bbox } = this.font;
    const fontFileRef = context.register(
      PDFRawStream.of(context.obj({ Filter: "FlateDecode", Length1: fontFile.length }), deflateSync(fontFile)),
    );
    const descriptor = context.register(
      context.obj({
        Type: "FontDescriptor",
        FontName: baseFont,
        Flags: 32, // non-symbolic: Latin text
        FontBBox: [s(bbox.minX), s(bbox.minY), s(bbox.maxX), s(bbox.maxY)],
        ItalicAngle: this.font.italicAngle,
        Ascent: s(this.font.ascent),
        Descent: s(this.font.descent),
        CapHeight: s(this.font.capHeight || this.font.ascent),
        StemV: STEM_V[this.weight],
        FontFile2: fontFileRef,
      }),
    );
    const cidFont = context.register(
      context.obj({
        Type: "Font",
        Subtype: "CIDFontType2",
        BaseFont: baseFont,
        CIDSystemInfo: { Registry: PDFString.of("Adobe"), Ordering: PDFString.of("Identity"), Supplement: 0 },
        FontDescriptor: descriptor,
        W: [1, this.glyphs.map((g) => g.width)],
        CIDToGIDMap: "Identity",
      }),
    );
    const toUnicode = context.register(
      PDFRawStream.of(context.obj({ Filter: "FlateDecode" }), deflateSync(Buffer.from(this.unicodeCmap(), "latin1"))),
    );
    context.assign(
      this.ref,
      context.obj({
        Type: "Font",
        Subtype: "Type0",
        BaseFont: baseFont,
        Encoding: "Identity-H",
        DescendantFonts: [cidFont],
        ToUnicode: toUnicode,
      }),
    );
  }

  /** What each glyph reads as, so a reader can search and copy the text. */
  private unicodeCmap(): string {
    const lines: string[] = [];
    for (let start = 0; start < this.glyphs.length; start += 100) {
      const block = this.glyphs.slice(start, start + 100);
      lines.push(`${block.length} beginbfchar`);
      for (const [i, g] of block.entries()) lines.push(`<${hex4(start + i + 1)}> <${utf16Hex(g.cp)}>`);
      lines.push("endbfchar");
    }
    return [
      "/CIDInit /ProcSet findresource begin",
      "12 dict begin",
      "begincmap",
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
      "/CMapName /Adobe-Identity-UCS def",
      "/CMapType 2 def",
      "1 begincodespacerange",
      "<0000> <ffff>",
      "endcodespacerange",
      ...lines,
      "endcmap",
      "CMapName currentdict /CMap defineresource pop",
      "end",
      "end",
    ].join("\n");
  }
}
