// The standard 14 fonts only carry the WinAnsi (Windows-1252) character set, and pdf-lib throws on
// anything else. A form whose text stays inside it is drawn in Helvetica; one with a name like
// "Łukasz" or "Nguyễn" gets an embedded Unicode font (unicode-font.ts). Either way every string
// that reaches a PDF goes through sanitizeFor first, for what the font can show (emoji, stray
// control characters): the claim must never fail to render because of one character.

// The Unicode characters WinAnsi places in 0x80–0x9F, with their byte (the rest of WinAnsi is
// Latin-1, byte = code point).
const WIN_ANSI_EXTRA = new Map<number, number>([
  [0x20ac, 0x80],
  [0x201a, 0x82],
  [0x0192, 0x83],
  [0x201e, 0x84],
  [0x2026, 0x85],
  [0x2020, 0x86],
  [0x2021, 0x87],
  [0x02c6, 0x88],
  [0x2030, 0x89],
  [0x0160, 0x8a],
  [0x2039, 0x8b],
  [0x0152, 0x8c],
  [0x017d, 0x8e],
  [0x2018, 0x91],
  [0x2019, 0x92],
  [0x201c, 0x93],
  [0x201d, 0x94],
  [0x2022, 0x95],
  [0x2013, 0x96],
  [0x2014, 0x97],
  [0x02dc, 0x98],
  [0x2122, 0x99],
  [0x0161, 0x9a],
  [0x203a, 0x9b],
  [0x0153, 0x9c],
  [0x017e, 0x9e],
  [0x0178, 0x9f],
]);

// Letters that have no decomposition to an ASCII base, and punctuation with a close WinAnsi twin.
const REPLACEMENTS: Record<string, string> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ħ: "H",
  ħ: "h",
  ı: "i",
  Ŀ: "L",
  ŀ: "l",
  Ŋ: "N",
  ŋ: "n",
  ĸ: "k",
  Ŧ: "T",
  ŧ: "t",
  ſ: "s",
  Ə: "E",
  ə: "e",
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2015": "\u2014",
  "\u2212": "-",
  "\u2032": "'",
  "\u2033": '"',
  "\u201b": "'",
  "\u201f": '"',
  "\u2002": " ",
  "\u2003": " ",
  "\u2009": " ",
  "\u202f": " ",
  "\u2007": " ",
  "\u2008": " ",
  "\u200a": " ",
  "\u3000": " ",
  "\u2044": "/",
  "\u2215": "/",
};

const isWinAnsi = (cp: number) => (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp < 0xa0);

function sanitizeChar(ch: string, canShow: (cp: number) => boolean): string {
  const cp = ch.codePointAt(0)!;
  if (ch === "\t") return " ";
  if (isControl(cp)) return ""; // control characters
  if (canShow(cp)) return ch;
  const mapped = REPLACEMENTS[ch];
  if (mapped !== undefined) return mapped;
  // "ő" -> "o" + combining accent: keep the base letter rather than lose the whole character.
  const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
  if (base && [...base].every((c) => canShow(c.codePointAt(0)!))) return base;
  if (/\p{M}/u.test(ch) || /\p{Cf}/u.test(ch)) return ""; // stray combining marks, zero-width joiners
  return "?";
}

/** Returns `text` with every character `canShow` refuses replaced; keeps newlines. */
export function sanitizeFor(text: string, canShow: (cp: number) => boolean): string {
  const nfc = text.normalize("NFC");
  let out = "";
  for (const ch of nfc.replace(/\r\n?/g, "\n")) out += ch === "\n" ? "\n" : sanitizeChar(ch, canShow);
  return out;
}

/** Returns `text` with every character Helvetica (WinAnsi) cannot encode replaced; keeps newlines. */
export function sanitizeWinAnsi(text: string): string {
  const nfc = text.normalize("NFC");
  // Fast path: the overwhelming majority of form values are plain Latin-1.
  let clean = true;
  for (let i = 0; i < nfc.length; i++) {
    const cp = nfc.charCodeAt(i);
    if (!isWinAnsi(cp) && cp !== 0x0a) {
      clean = false;
      break;
    }
  }
  if (clean) return nfc;
  return sanitizeFor(nfc, isWinAnsi);
}

/**
 * Whether a string (or any string in a value) has a letter, digit or accent Helvetica would have
 * to replace. Punctuation outside WinAnsi has a close twin there, and emoji are in neither font.
 */
export function needsUnicodeFont(value: unknown): boolean {
  if (typeof value === "string") {
    if (!/[^ -~\n\r\t]/.test(value)) return false; // printable ASCII only
    const text = value.normalize("NFC"); // "e" + U+0301 is "é", which Helvetica has
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i);
      if (cp < 0x80 || isWinAnsi(cp)) continue;
      if (/[\p{L}\p{M}\p{N}]/u.test(String.fromCodePoint(text.codePointAt(i)!))) return true;
    }
    return false;
  }
  if (Array.isArray(value)) return value.some(needsUnicodeFont);
  if (value && typeof value === "object") return Object.values(value).some(needsUnicodeFont);
  return false;
}

/**
 * A sanitised string as a PDF literal string for Tj: one WinAnsi byte per character (written as a
 * latin1 JS string), with the three characters that need it escaped.
 */
export function toPdfLiteral(text: string): string {
  let out = "(";
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    const ch = text[i];
    if (ch === "(" || ch === ")" || ch === "\\") out += `\\${ch}`;
    else if (cp < 0x100) out += ch;
    else out += String.fromCharCode(WIN_ANSI_EXTRA.get(cp) ?? 0x3f);
  }
  return `${out})`;
}

// Glyph advance widths (1/1000 em) per font, filled lazily from pdf-lib's AFM metrics. Tj does
// not kern, so the sum of advances is exactly the drawn width, and summing cached numbers is far
// cheaper than pdf-lib's widthOfTextAtSize (which encodes and kerns on every call).
const advanceTables = new Map<string, Map<number, number>>();

/** What TextMeasure needs of a font: pdf-lib's PDFFont and UnicodeFace both have it. */
export type MeasurableFont = { name: string; widthOfTextAtSize(text: string, size: number): number };

export class TextMeasure {
  private readonly advances: Map<number, number>;

  constructor(private readonly font: MeasurableFont) {
    let table = advanceTables.get(font.name);
    if (!table) {
      table = new Map();
      advanceTables.set(font.name, table);
    }
    this.advances = table;
  }

  width(text: string, size: number): number {
    let total = 0;
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i);
      let advance = this.advances.get(cp);
      if (advance === undefined) {
        advance = this.font.widthOfTextAtSize(text[i], 1000);
        this.advances.set(cp, advance);
      }
      total += advance;
    }
    return (total * size) / 1000;
  }
}

/**
 * Takes the longest run of words from `words[start]` that fits `maxWidth`. A single word wider
 * than the line (a pasted URL, a long reference number) is cut by characters so nothing runs off
 * the page: then `remainder` is what is left of `words[next]` for the following line.
 */
export function takeLine(
  words: readonly string[],
  start: number,
  measure: TextMeasure,
  size: number,
  maxWidth: number,
): { text: string; next: number; remainder?: string } {
  const space = measure.width(" ", size);
  let width = 0;
  let i = start;
  while (i < words.length) {
    const wordWidth = measure.width(words[i], size);
    const added = i === start ? wordWidth : space + wordWidth;
    if (width + added <= maxWidth) {
      width += added;
      i++;
      continue;
    }
    if (i > start) break;
    const word = words[i];
    let cut = 1;
    let cutWidth = measure.width(word[0], size);
    while (cut < word.length) {
      const next = cutWidth + measure.width(word[cut], size);
      if (next > maxWidth) break;
      cutWidth = next;
      cut++;
    }
    return { text: word.slice(0, cut), next: i, remainder: word.slice(cut) };
  }
  return { text: words.slice(start, i).join(" "), next: i };
}

/** Wraps sanitised text to lines no wider than maxWidth (paragraph breaks kept). */
export function wrapText(text: string, measure: TextMeasure, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    const words = paragraph.split(/ +/).filter(Boolean);
    if (words.length === 0) {
      lines.push("");
      continue;
    }
    let i = 0;
    while (i < words.length) {
      const line = takeLine(words, i, measure, size, maxWidth);
      lines.push(line.text);
      if (line.remainder !== undefined) words[line.next] = line.remainder;
      i = line.next;
    }
  }
  return lines;
}
