import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { degrees, PDFDocument, StandardFonts } from "pdf-lib";

// Files for the PDF tests, made in code: PDFs with pdf-lib or by hand (an RC4-encrypted one),
// PNGs with zlib, and one tiny real JPEG.

/** A PDF whose pages have the given sizes, each with "Page n" written on it. */
export async function makeSizedPdf(
  sizes: [number, number][],
  opts: { rotate?: number; unbalancedState?: boolean; text?: string } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = doc.embedStandardFont(StandardFonts.Helvetica);
  sizes.forEach(([w, h], i) => {
    const page = doc.addPage([w, h]);
    page.drawText(`${opts.text ?? "Page"} ${i + 1}`, { x: 40, y: h / 2, size: 12, font });
    if (opts.rotate) page.setRotation(degrees(opts.rotate));
    if (opts.unbalancedState) {
      // A producer that leaves a scaled, shifted CTM and a white fill behind at the end of the page.
      const stray = doc.context.register(doc.context.stream("2 0 0 2 100 300 cm 1 g"));
      page.node.addContentStream(stray);
    }
  });
  return doc.save();
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A striped PNG: colour type 2 (RGB), 6 (RGBA), 0 (grey) or 3 (palette). */
export function makePng(width: number, height: number, colorType: 0 | 2 | 3 | 6 = 2): Buffer {
  const channels = { 0: 1, 2: 3, 3: 1, 6: 4 }[colorType];
  const stride = width * channels + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // row filter: none
    for (let x = 0; x < width * channels; x++)
      raw[y * stride + 1 + x] = colorType === 3 ? (x >> 3) % 4 : (x * 5 + y * 3) & 0xff;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorType;
  const chunks = [pngChunk("IHDR", header)];
  if (colorType === 3)
    chunks.push(pngChunk("PLTE", Buffer.from([200, 30, 30, 30, 200, 30, 30, 30, 200, 240, 240, 240])));
  chunks.push(pngChunk("IDAT", deflateSync(raw)), pngChunk("IEND", Buffer.alloc(0)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

/** A real 48 x 32 baseline JPEG (rendered by pdftoppm): landscape, a red square top-left. */
export const TINY_JPEG = Buffer.from(
  [
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1R",
    "V19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2Nj",
    "Y2NjY2NjY2NjY2NjY2P/wAARCAAgADADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAA",
    "AgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6",
    "Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXG",
    "x8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREA",
    "AgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5",
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPE",
    "xcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDGooorhPqj02iiivUPlAooooAKKKKACiii",
    "gAooooA//9k=",
  ].join(""),
  "base64",
);

/** The JPEG with an EXIF APP1 segment carrying `orientation` (1–8), as phone cameras write it. */
export function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  // TIFF header (big-endian), one IFD with one entry: 0x0112 Orientation, SHORT, count 1.
  const tiff = Buffer.from([
    0x4d,
    0x4d,
    0,
    42,
    0,
    0,
    0,
    8,
    0,
    1,
    0x01,
    0x12,
    0,
    3,
    0,
    0,
    0,
    1,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const segment = Buffer.concat([
    Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]),
    payload,
  ]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

// The PDF standard security handler's pieces (RC4, revision 2), shared by the encrypted fixtures.
export function rc4(key: Buffer, data: Uint8Array): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]) & 0xff;
    [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
  }
  return out;
}

export const md5 = (...parts: Uint8Array[]) => createHash("md5").update(Buffer.concat(parts)).digest();
export const PASSWORD_PAD = Buffer.from("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a", "hex");
export const padPassword = (pw: string) => Buffer.concat([Buffer.from(pw, "latin1"), PASSWORD_PAD]).subarray(0, 32);

/**
 * A hand-written one-page PDF. With `encrypt`, a genuine Standard security handler file (V1 R2,
 * 40-bit RC4, the way old scanners write them) with an owner password and an empty user
 * password: any reader opens it, but it *is* encrypted, and Benefits Intake refuses it.
 */
export function handWrittenPdf(opts: { encrypt?: boolean; text?: string } = {}): Buffer {
  const fileId = Buffer.from("0123456789abcdef0123456789abcdef", "hex");
  const permissions = -44;
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const ownerKey = md5(padPassword("owner-secret")).subarray(0, 5);
  const O = rc4(ownerKey, padPassword(""));
  const key = md5(padPassword(""), O, p, fileId).subarray(0, 5);
  const U = rc4(key, PASSWORD_PAD);
  const objectKey = (num: number) =>
    md5(key, Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, 0, 0])).subarray(0, 10);

  let content: Buffer = Buffer.from(`BT /F1 24 Tf 72 700 Td (${opts.text ?? "Hand written"}) Tj ET`, "latin1");
  if (opts.encrypt) content = rc4(objectKey(4), content);
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R >> >> >>", // inherited resources
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
    Buffer.concat([
      Buffer.from(`<< /Length ${content.length} >>\nstream\n`, "latin1"),
      content,
      Buffer.from("\nendstream", "latin1"),
    ]),
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  if (opts.encrypt)
    objects.push(
      `<< /Filter /Standard /V 1 /R 2 /O <${O.toString("hex")}> /U <${U.toString("hex")}> /P ${permissions} >>`,
    );

  const encrypt = opts.encrypt ? ` /Encrypt ${objects.length} 0 R` : "";
  const id = fileId.toString("hex");
  return pdfOfObjects(objects, { version: "1.4", trailer: `${encrypt} /ID [<${id}> <${id}>]` });
}

/**
 * Objects numbered from 1 (object 1 is the catalog) written out with a correct xref table;
 * `trailer` adds entries to the trailer dictionary.
 */
export function pdfOfObjects(objects: (string | Buffer)[], opts: { version?: string; trailer?: string } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from(`%PDF-${opts.version ?? "1.7"}\n%\xe2\xe3\xcf\xd3\n`, "latin1")];
  const offsets: number[] = [];
  let length = parts[0].length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, "latin1"),
      Buffer.isBuffer(body) ? body : Buffer.from(body, "latin1"),
      Buffer.from("\nendobj\n", "latin1"),
    ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n`,
    "0000000000 65535 f \n",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`),
  ].join("");
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${opts.trailer ?? ""} >>\nstartxref\n${length}\n%%EOF\n`;
  return Buffer.concat([...parts, Buffer.from(xref + trailer, "latin1")]);
}
