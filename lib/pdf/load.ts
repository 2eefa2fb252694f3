import { type PDFContext, PDFDocument, PDFName, PDFParser, PDFRawStream, type SaveOptions } from "pdf-lib";
import { PdfInputError } from "./errors";
import { FileBytes, FileRangeStream } from "./file-source";
import { countInflated } from "./inflate-limit";
import { DEFAULT_EVIDENCE_LIMITS, describeBytes, type EvidenceLimits } from "./limits";

// Benefits Intake accepts pages up to 78 x 101 inches (docs/design.md §5); anything larger is DOC108.
const MAX_PAGE_SHORT = 78 * 72;
const MAX_PAGE_LONG = 101 * 72;

/**
 * pdf-lib yields to the event loop (a setTimeout, >= 1 ms each) every 100 parsed / 50 written
 * objects by default: for our documents (a few hundred objects) those pauses cost more than the
 * PDF work. Yielding every 2,000 objects keeps forms and normal attachments in one go, while a
 * 500-page scan still lets the worker's other jobs and heartbeats run.
 */
const OBJECTS_PER_TICK = 2_000;

export const FAST_SAVE: SaveOptions = {
  // Measured (bench/stamp.ts): about twice as fast as object streams, which deflate every object
  // with pako; the files are a little larger.
  useObjectStreams: false,
  objectsPerTick: OBJECTS_PER_TICK,
  updateFieldAppearances: false, // never regenerate a fillable attachment's field appearances
  addDefaultPage: false,
};

export async function savePdf(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save(FAST_SAVE);
}

/**
 * PDFDocument.load, except that each stream's contents are views into the file's bytes where
 * pdf-lib would copy them: a scanned 99 MB PDF is nearly all image streams, so the parse held it
 * twice (then three times while saving). The bytes must not change while the document is in use;
 * ours come from storage and nothing writes to them.
 */
async function parseWithoutCopies(bytes: Uint8Array): Promise<PDFDocument> {
  const parser = PDFParser.forBytesWithOptions(bytes, OBJECTS_PER_TICK, false, false);
  // The parser's ByteStream (a private field): its slice() is what cuts a stream's contents out.
  const stream = (parser as unknown as { bytes: ByteStream }).bytes;
  stream.slice = (start, end) => stream.bytes.subarray(start, end);
  return documentOf(parser);
}

// pdf-lib's ByteStream (not exported): a parser reads its input only through these.
type ByteStream = {
  bytes: Uint8Array;
  idx: number;
  line: number;
  column: number;
  length: number;
  next(): number | undefined;
  peek(): number | undefined;
  peekAhead(steps: number): number | undefined;
  peekAt(offset: number): number | undefined;
  slice(start: number, end: number): Uint8Array;
};

// A stream's contents from this size stay in the file until they are written out.
const IN_FILE_BYTES = 64 * 1024;
const OBJECT_STREAM_TYPES = new Set([PDFName.of("ObjStm"), PDFName.of("XRef")]);

/**
 * The same parse from a file (file-source.ts): the parser's ByteStream reads through the file's
 * window, and each large stream becomes a FileRangeStream, except object and cross-reference
 * streams, which pdf-lib decodes as it parses (their bytes are read then; the caller has measured
 * what they inflate to).
 */
async function parseFromFile(file: FileBytes): Promise<PDFDocument> {
  const parser = PDFParser.forBytesWithOptions(new Uint8Array(0), OBJECTS_PER_TICK, false, false);
  const stream = (parser as unknown as { bytes: ByteStream }).bytes;
  const ranges = new WeakMap<Uint8Array, [number, number]>();
  let inStream = false; // only a stream's contents are left in the file, never an invalid object's bytes
  stream.length = file.length;
  stream.peek = () => file.at(stream.idx);
  stream.peekAhead = (steps) => file.at(stream.idx + steps);
  stream.peekAt = (offset) => file.at(offset);
  stream.next = () => {
    const byte = file.at(stream.idx++);
    if (byte === 0x0a) {
      stream.line += 1;
      stream.column = 0;
    } else stream.column += 1;
    return byte;
  };
  stream.slice = (start, end) => {
    if (!inStream || end - start < IN_FILE_BYTES) return file.read(start, end);
    const marker = new Uint8Array(0);
    ranges.set(marker, [start, end]);
    return marker;
  };
  const objects = parser as unknown as { parseDictOrStream(): unknown };
  const parseDictOrStream = objects.parseDictOrStream.bind(parser);
  objects.parseDictOrStream = () => {
    const outer = inStream;
    inStream = true;
    try {
      const object = parseDictOrStream();
      const range = object instanceof PDFRawStream ? ranges.get(object.contents) : undefined;
      if (!range) return object;
      const { dict } = object as PDFRawStream;
      return OBJECT_STREAM_TYPES.has(dict.get(PDFName.of("Type")) as PDFName)
        ? PDFRawStream.of(dict, file.read(range[0], range[1]))
        : FileRangeStream.ofRange(dict, file, range[0], range[1]);
    } finally {
      inStream = outer;
    }
  };
  return documentOf(parser);
}

async function documentOf(parser: PDFParser): Promise<PDFDocument> {
  const context = await parser.parseDocument();
  // What PDFDocument.load does with the context (its constructor is private in the types):
  // encryption is ignored here and refused by the caller, the metadata left as it is.
  const make = PDFDocument as unknown as new (
    c: PDFContext,
    ignoreEncryption: boolean,
    updateMetadata: boolean,
  ) => PDFDocument;
  return new make(context, true, false);
}

function startsLikePdf(bytes: Uint8Array | FileBytes): boolean {
  // The header may follow some junk bytes (readers accept it within the first 1 KiB).
  const head = bytes instanceof FileBytes ? bytes.read(0, 1024) : bytes.subarray(0, 1024);
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("latin1").includes("%PDF-");
}

/** What the stream check needs of the bytes, whether in memory or in a file. */
type Searchable = {
  length: number;
  at(i: number): number | undefined;
  indexOf(needle: string, from: number, to?: number): number;
  lastIndexOf(needle: string, before: number): number;
  blocks(start: number, end: number): Uint8Array | Iterable<Uint8Array>;
};

function searchable(bytes: Uint8Array | FileBytes): Searchable {
  if (bytes instanceof FileBytes) return bytes;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    length: buf.length,
    at: (i) => buf[i],
    indexOf: (needle, from, to = buf.length) => buf.subarray(0, to).indexOf(needle, from, "latin1"),
    lastIndexOf: (needle, before) => buf.lastIndexOf(needle, before, "latin1"),
    blocks: (start, end) => buf.subarray(start, end),
  };
}

/**
 * The streams pdf-lib inflates while parsing are the object streams and cross-reference streams
 * (page contents and images are copied as they are). Each is found by its /Type in the raw bytes
 * and measured before parsing, so a bomb hidden in one stops at the limit instead of in memory.
 * A crude scan, on purpose: it only has to be cheap and never miss a stream pdf-lib will decode.
 */
async function checkDecodedStreams(
  bytes: Uint8Array | FileBytes,
  maxInflatedBytes: number,
  fileName?: string,
): Promise<void> {
  const buf = searchable(bytes);
  let total = 0;
  for (const type of ["/ObjStm", "/XRef"]) {
    for (let at = buf.indexOf(type, 0); at >= 0; at = buf.indexOf(type, at + type.length)) {
      const next = buf.at(at + type.length);
      if (next !== undefined && /[A-Za-z0-9]/.test(String.fromCharCode(next))) continue; // /XRefStm
      const dictStart = buf.lastIndexOf("obj", at);
      const keyword = buf.indexOf("stream", at);
      if (dictStart < 0 || keyword < 0) continue;
      if (buf.indexOf("FlateDecode", dictStart, keyword) < 0) continue;
      let start = keyword + 6;
      if (buf.at(start) === 0x0d) start++;
      if (buf.at(start) === 0x0a) start++;
      const end = buf.indexOf("endstream", start);
      if (end < 0) continue;
      const counted = await countInflated(buf.blocks(start, end), maxInflatedBytes - total);
      total += counted.bytes;
      if (counted.overCap) {
        throw new PdfInputError(
          "over_limit",
          `its object streams inflate to more than the ${describeBytes(maxInflatedBytes)} limit`,
          fileName,
        );
      }
    }
  }
}

/**
 * Parses a PDF for stamping or as an attachment, turning every way it can be unusable into a
 * PdfInputError (permanent): not a PDF, unparseable, encrypted, no pages, pages too large, past
 * the evidence limits (inflated bytes, page count).
 */
export async function loadPdf(
  bytes: Uint8Array | FileBytes,
  fileName?: string,
  limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
): Promise<PDFDocument> {
  if (bytes.length === 0) throw new PdfInputError("empty", "the file is empty", fileName);
  if (!startsLikePdf(bytes)) throw new PdfInputError("unreadable", "not a PDF (no %PDF- header)", fileName);
  await checkDecodedStreams(bytes, limits.maxInflatedBytes, fileName);
  let doc: PDFDocument;
  try {
    // Loaded even when encrypted, then refused below: pdf-lib's EncryptedPDFError is compiled to
    // ES5 and fails instanceof, so the flag is the reliable signal.
    doc = await (bytes instanceof FileBytes ? parseFromFile(bytes) : parseWithoutCopies(bytes));
  } catch (error) {
    throw new PdfInputError("unreadable", `the PDF cannot be parsed (${(error as Error).message})`, fileName, {
      cause: error,
    });
  }
  if (doc.isEncrypted) throw new PdfInputError("encrypted", "the PDF is encrypted or password protected", fileName);
  let pages: ReturnType<typeof doc.getPages>;
  try {
    pages = doc.getPages();
  } catch (error) {
    throw new PdfInputError("unreadable", "the PDF's page tree is broken", fileName, { cause: error });
  }
  if (pages.length === 0) throw new PdfInputError("empty", "the PDF has no pages", fileName);
  if (pages.length > limits.maxPdfPages) {
    throw new PdfInputError(
      "over_limit",
      `the PDF has ${pages.length.toLocaleString("en-US")} pages, over the ${limits.maxPdfPages.toLocaleString("en-US")}-page limit`,
      fileName,
    );
  }
  for (const [index, page] of pages.entries()) {
    const { width, height } = page.getMediaBox();
    const short = Math.min(Math.abs(width), Math.abs(height));
    const long = Math.max(Math.abs(width), Math.abs(height));
    if (short > MAX_PAGE_SHORT || long > MAX_PAGE_LONG) {
      throw new PdfInputError(
        "page_too_large",
        `page ${index + 1} is ${(width / 72).toFixed(1)} x ${(height / 72).toFixed(1)} in, over the 78 x 101 in limit`,
        fileName,
      );
    }
    if (!(short > 0)) throw new PdfInputError("unreadable", `page ${index + 1} has an empty media box`, fileName);
  }
  return doc;
}
