import { deflateSync } from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";

// Evidence files the demo claims carry: a scanned-letter PDF and a PNG "photo", stored once and
// shared by every claim that cites one.

function crc32(buf: Buffer) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function makePng(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      const stripe = ((x >> 4) + (y >> 4)) % 2 === 0;
      raw[o] = stripe ? 220 : 180;
      raw[o + 1] = stripe ? 225 : 190;
      raw[o + 2] = stripe ? 235 : 210;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function makeLetterPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  const lines = [
    "Private medical record (sample)",
    "",
    "Patient: test veteran",
    "Diagnosis: example condition, service connected.",
    "This is synthetic demo evidence.",
  ];
  for (const [i, line] of lines.entries()) page.drawText(line, { x: 72, y: 700 - i * 18, size: 12, font });
  return Buffer.from(await doc.save());
}

// The demo's evidence: a scanned-letter PDF and a PNG photo (lib/demo-seed.ts stores them).
export async function sampleFiles() {
  return [
    { fileName: "private-medical-record.pdf", contentType: "application/pdf", bytes: await makeLetterPdf() },
    { fileName: "photo-of-injury.png", contentType: "image/png", bytes: makePng(320, 200) },
  ];
}
