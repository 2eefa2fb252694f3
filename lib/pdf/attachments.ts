import { PDFDocument, PDFName, PDFRawStream, type PDFRef } from "pdf-lib";
import { PdfInputError } from "./errors";
import { FileBytes } from "./file-source";
import {
  checkPngData,
  type FileKind,
  ImageLimitError,
  jpegOrientation,
  type PngInfo,
  readPng,
  sniffKind,
} from "./image-info";
import { DEFAULT_EVIDENCE_LIMITS, describePixels, type EvidenceLimits } from "./limits";
import { loadPdf, savePdf } from "./load";

// Persistent attachments (the veteran's evidence files) become PDFs for the upload: PDFs pass
// through (validated), JPEG and PNG images are placed on a Letter page. Anything that cannot be
// made into an acceptable PDF is a PdfInputError, a *permanent* failure for the claim.

export type AttachmentInput = { fileName: string; contentType: string; bytes: Uint8Array };
/**
 * Large evidence by its file, read where the PDF work runs: a PDF is parsed from the file and its
 * large streams copied from it as they are written, never whole in memory. `fd` when the caller
 * opened the file (and closes it: a PDF thread that is stopped cannot).
 */
type EvidenceFile = { fileName: string; contentType: string; file: string; byteLength: number; fd?: number };
export type EvidenceInput = AttachmentInput | EvidenceFile;

export const evidenceByteLength = (input: EvidenceInput) =>
  "bytes" in input ? input.bytes.byteLength : input.byteLength;

const ACCEPTED_TYPES: Record<string, FileKind> = {
  "application/pdf": "pdf",
  "application/x-pdf": "pdf",
  "image/jpeg": "jpeg",
  "image/jpg": "jpeg",
  "image/pjpeg": "jpeg",
  "image/png": "png",
  "image/x-png": "png",
};
// Uploads whose declared type says nothing: trust the bytes.
const GENERIC_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream"]);

/**
 * What the file really is. The bytes decide (browsers mislabel files), but a declared type that
 * is neither generic nor one of ours is refused up front, and a declared PDF/image whose bytes
 * are none of the three is "unreadable" rather than "unsupported".
 */
export function attachmentKind(input: AttachmentInput): FileKind {
  const declared = input.contentType.split(";")[0].trim().toLowerCase();
  const declaredKind = ACCEPTED_TYPES[declared];
  if (!declaredKind && !GENERIC_TYPES.has(declared)) {
    throw new PdfInputError("unsupported_type", `content type ${declared} is not PDF, JPEG or PNG`, input.fileName);
  }
  if (input.bytes.byteLength === 0) throw new PdfInputError("empty", "the file is empty", input.fileName);
  const sniffed = sniffKind(input.bytes);
  if (sniffed) return sniffed;
  if (declaredKind) {
    throw new PdfInputError("unreadable", `the file is declared ${declared} but its content is not`, input.fileName);
  }
  throw new PdfInputError("unsupported_type", "the file is not a PDF, JPEG or PNG", input.fileName);
}

// Letter, turned landscape for landscape images so they are shown as large as possible.
const LETTER_SHORT = 612;
const LETTER_LONG = 792;
// Half an inch all round; the bottom margin also keeps the image clear of the VA.GOV stamp.
const MARGIN = 36;

type Placed = { width: number; height: number; ref: PDFRef };

/**
 * pdf-lib's image embedders read `bytes.buffer` from offset 0, which is wrong for a view into a
 * larger buffer (Node's pooled Buffers, subarrays): hand them a copy that owns its buffer.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

/** Refused before decoding: a bomb declares its size up front (50,000 x 50,000 in 40 KB). */
function checkPixels(kind: string, width: number, height: number, limits: EvidenceLimits, fileName: string): void {
  const pixels = width * height;
  if (pixels <= limits.maxImagePixels) return;
  throw new PdfInputError(
    "over_limit",
    `the ${kind} is ${width} x ${height} pixels (${describePixels(pixels)}), over the ${describePixels(limits.maxImagePixels)} limit`,
    fileName,
  );
}

/** The image XObject for a PNG, its compressed data copied as is when PDF can read it directly. */
async function embedPng(doc: PDFDocument, input: AttachmentInput, limits: EvidenceLimits): Promise<Placed> {
  let png: PngInfo;
  try {
    png = readPng(input.bytes);
  } catch (error) {
    throw new PdfInputError("unreadable", `the PNG cannot be decoded (${(error as Error).message})`, input.fileName, {
      cause: error,
    });
  }
  checkPixels("PNG", png.width, png.height, limits, input.fileName);
  try {
    await checkPngData(png, limits.maxInflatedBytes);
  } catch (error) {
    if (error instanceof ImageLimitError)
      throw new PdfInputError("over_limit", `the PNG's ${error.message}`, input.fileName);
    throw new PdfInputError("unreadable", `the PNG cannot be decoded (${(error as Error).message})`, input.fileName, {
      cause: error,
    });
  }
  // PNG's row filters are PDF's Predictor 15, so plain grey, RGB and palette images go in without
  // being decoded and re-encoded: pdf-lib's embedPng takes ~0.5 s for a 1600x1200 photo.
  // Alpha, transparency and interlacing need real decoding: those go through pdf-lib.
  const direct = !png.interlaced && !png.hasTransparency && png.bitDepth <= 8 && [0, 2, 3].includes(png.colorType);
  if (!direct || (png.colorType === 3 && !png.palette)) {
    try {
      const image = await doc.embedPng(ownBuffer(input.bytes));
      return { width: image.width, height: image.height, ref: image.ref };
    } catch (error) {
      throw new PdfInputError("unreadable", `the PNG cannot be decoded (${(error as Error).message})`, input.fileName, {
        cause: error,
      });
    }
  }
  const colors = png.colorType === 2 ? 3 : 1;
  const colorSpace =
    png.colorType === 3
      ? doc.context.obj([
          PDFName.of("Indexed"),
          PDFName.of("DeviceRGB"),
          png.palette!.length / 3 - 1,
          doc.context.register(doc.context.stream(png.palette!)),
        ])
      : PDFName.of(colors === 3 ? "DeviceRGB" : "DeviceGray");
  const dict = doc.context.obj({
    Type: "XObject",
    Subtype: "Image",
    Width: png.width,
    Height: png.height,
    BitsPerComponent: png.bitDepth,
    Filter: "FlateDecode",
    DecodeParms: { Predictor: 15, Colors: colors, BitsPerComponent: png.bitDepth, Columns: png.width },
  });
  dict.set(PDFName.of("ColorSpace"), colorSpace);
  return { width: png.width, height: png.height, ref: doc.context.register(PDFRawStream.of(dict, png.data)) };
}

async function embedJpeg(doc: PDFDocument, input: AttachmentInput, limits: EvidenceLimits): Promise<Placed> {
  let image: Awaited<ReturnType<PDFDocument["embedJpg"]>>;
  try {
    // pdf-lib copies the JPEG data as is (DCTDecode); it only reads the frame header.
    image = await doc.embedJpg(ownBuffer(input.bytes));
  } catch (error) {
    throw new PdfInputError("unreadable", `the JPEG cannot be decoded (${(error as Error).message})`, input.fileName, {
      cause: error,
    });
  }
  // Never decoded here, but every reader downstream would have to.
  checkPixels("JPEG", image.width, image.height, limits, input.fileName);
  return { width: image.width, height: image.height, ref: image.ref };
}

/**
 * The cm matrix drawing the unit-square image into the box (x, y, w, h) as the viewer should see
 * it, for each EXIF orientation (2, 4, 5, 7 are the mirrored ones).
 */
function orientationMatrix(orientation: number, x: number, y: number, w: number, h: number): number[] {
  switch (orientation) {
    case 2:
      return [-w, 0, 0, h, x + w, y];
    case 3:
      return [-w, 0, 0, -h, x + w, y + h];
    case 4:
      return [w, 0, 0, -h, x, y + h];
    case 5:
      return [0, -h, -w, 0, x + w, y + h];
    case 6:
      return [0, -h, w, 0, x, y + h];
    case 7:
      return [0, h, w, 0, x, y];
    case 8:
      return [0, h, -w, 0, x + w, y];
    default:
      return [w, 0, 0, h, x, y];
  }
}

async function imageDocument(
  kind: "jpeg" | "png",
  input: AttachmentInput,
  limits: EvidenceLimits,
): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const image = kind === "png" ? await embedPng(doc, input, limits) : await embedJpeg(doc, input, limits);
  const orientation = kind === "jpeg" ? jpegOrientation(input.bytes) : 1;
  const sideways = orientation >= 5;
  const shownW = sideways ? image.height : image.width;
  const shownH = sideways ? image.width : image.height;
  const landscape = shownW > shownH;
  const pageW = landscape ? LETTER_LONG : LETTER_SHORT;
  const pageH = landscape ? LETTER_SHORT : LETTER_LONG;
  // Fit inside the margins; never enlarge past 1 pt per pixel (72 dpi), where blur starts.
  const scale = Math.min((pageW - 2 * MARGIN) / shownW, (pageH - 2 * MARGIN) / shownH, 1);
  const w = shownW * scale;
  const h = shownH * scale;
  const x = (pageW - w) / 2;
  const y = pageH - MARGIN - h; // top-aligned, like a scanned page
  const page = doc.addPage([pageW, pageH]);
  page.node.setXObject(PDFName.of("Im1"), image.ref);
  const m = orientationMatrix(orientation, x, y, w, h).map((v) => Number(v.toFixed(4)));
  const content = doc.context.stream(`q ${m.join(" ")} cm /Im1 Do Q\n`);
  page.node.set(PDFName.Contents, doc.context.register(content));
  doc.setTitle(input.fileName);
  return doc;
}

/**
 * Opens an attachment as a PDF document (not yet saved), so the backup flow can stamp and write
 * it in one pass. Throws PdfInputError for anything it cannot turn into an acceptable PDF.
 */
export async function openAttachment(
  input: AttachmentInput,
  limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
): Promise<PDFDocument> {
  const kind = attachmentKind(input);
  if (kind === "pdf") return loadPdf(input.bytes, input.fileName, limits);
  return imageDocument(kind, input, limits);
}

/** Converts an attachment to PDF bytes (PDFs are validated and re-written, images placed). */
export async function attachmentToPdf(
  input: AttachmentInput,
  limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
): Promise<Uint8Array> {
  return savePdf(await openAttachment(input, limits));
}

/** openAttachment for bytes or a file; close() once the document has been saved. */
export async function openEvidence(
  input: EvidenceInput,
  limits: EvidenceLimits = DEFAULT_EVIDENCE_LIMITS,
): Promise<{ doc: PDFDocument; close(): void }> {
  if ("bytes" in input) return { doc: await openAttachment(input, limits), close: () => {} };
  const file = new FileBytes(input.file, input.fd);
  let bytes: Uint8Array;
  try {
    const { fileName, contentType } = input;
    if (attachmentKind({ fileName, contentType, bytes: file.read(0, 1024) }) === "pdf")
      return { doc: await loadPdf(file, fileName, limits), close: () => file.close() };
    bytes = file.read(0); // an image is decoded from its bytes
  } catch (error) {
    file.close();
    throw error;
  }
  file.close();
  return { doc: await openAttachment({ ...input, bytes }, limits), close: () => {} };
}
