import { constants, deflateRawSync, deflateSync } from "node:zlib";
import { pdfOfObjects, pngChunk } from "./pdf-test-files";

// Evidence files built to exhaust whoever opens them (issue #14.3), made in code: small on disk,
// enormous once decoded or parsed.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * `bytes` zero bytes (a multiple of 1 MiB) as one zlib stream, built without deflating them all:
 * a fully flushed deflate block of 1 MiB of zeros does not depend on what came before, so it is
 * repeated, then closed with an empty final block and the Adler-32 of that many zeros.
 */
export function zlibOfZeros(bytes: number): Buffer {
  const MiB = 1024 * 1024;
  if (bytes % MiB !== 0) throw new Error("zlibOfZeros: a multiple of 1 MiB");
  const block = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((bytes % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array.from({ length: bytes / MiB }, () => block),
    Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff]),
    adler,
  ]);
}

function png(width: number, height: number, colorType: number, idat: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorType;
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", header),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The classic bomb: 100,000 x 100,000 RGBA pixels (40 GB decoded) declared in a file of a few KB. */
export function declaredPngBomb(): Buffer {
  return png(100_000, 100_000, 6, deflateSync(Buffer.alloc(1024 * 1024)));
}

/** A modest 4,000 x 4,000 grey image whose data inflates to `inflatedBytes` (far past its rows). */
export function inflatingPngBomb(inflatedBytes: number): Buffer {
  return png(4_000, 4_000, 0, zlibOfZeros(inflatedBytes));
}

/** `pages` pages that all draw one shared content stream: a few bytes per page on disk. */
export function manyPagesPdf(pages: number): Buffer {
  const content = "BT /F1 24 Tf 72 700 Td (Page) Tj ET";
  const objects: string[] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "", // the page tree, filled in below
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  const kids: string[] = [];
  for (let i = 0; i < pages; i++) {
    objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>");
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(" ")}] /Count ${pages} /Resources << /Font << /F1 4 0 R >> >> >>`;
  return pdfOfObjects(objects);
}

/** One page whose resources hold an array nested `depth` deep: [[[[ ... ]]]]. */
export function deeplyNestedPdf(depth: number): Buffer {
  return pdfOfObjects([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Deep 4 0 R >> >>",
    `${"[".repeat(depth)}${"]".repeat(depth)}`,
  ]);
}

/** A page tree `depth` levels deep, one page at the bottom. */
export function deepPageTreePdf(depth: number): Buffer {
  const objects: string[] = ["<< /Type /Catalog /Pages 2 0 R >>"];
  for (let level = 0; level < depth; level++) {
    const self = objects.length + 1;
    objects.push(`<< /Type /Pages /Kids [${self + 1} 0 R] /Count 1${level ? ` /Parent ${self - 1} 0 R` : ""} >>`);
  }
  objects.push(`<< /Type /Page /Parent ${objects.length} 0 R /MediaBox [0 0 612 792] >>`);
  return pdfOfObjects(objects);
}

/** A PDF whose one object stream inflates to `inflatedBytes`: pdf-lib decodes those while parsing. */
export function objectStreamBombPdf(inflatedBytes: number): Buffer {
  const data = zlibOfZeros(inflatedBytes);
  return pdfOfObjects([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    Buffer.concat([
      Buffer.from(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, "latin1"),
      data,
      Buffer.from("\nendstream", "latin1"),
    ]),
  ]);
}
