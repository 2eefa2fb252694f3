import { countInflated } from "./inflate-limit";
import { describeBytes } from "./limits";

// Just enough of the PNG and JPEG formats to put an image in a PDF quickly and the right way up:
// magic-byte sniffing, PNG header and data (for a pass-through embed) and the JPEG EXIF
// orientation (phone photos are stored sideways and carry the rotation as a tag).

export type FileKind = "pdf" | "jpeg" | "png";

export function sniffKind(bytes: Uint8Array): FileKind | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return "png";
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString("latin1");
  if (head.includes("%PDF-")) return "pdf";
  return undefined;
}

export type PngInfo = {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number; // 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
  interlaced: boolean;
  palette?: Uint8Array;
  hasTransparency: boolean; // a tRNS chunk
  data: Buffer; // the concatenated IDAT payload (a zlib stream)
};

/** Parses the chunks; throws on a truncated or malformed file. */
export function readPng(bytes: Uint8Array): PngInfo {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let header: Omit<PngInfo, "data" | "palette" | "hasTransparency"> | undefined;
  let palette: Uint8Array | undefined;
  let hasTransparency = false;
  const idat: Buffer[] = [];
  while (offset + 8 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("latin1", offset + 4, offset + 8);
    const start = offset + 8;
    if (start + length + 4 > buf.length) throw new Error(`truncated ${type} chunk`);
    const body = buf.subarray(start, start + length);
    if (type === "IHDR") {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bitDepth: body[8],
        colorType: body[9],
        interlaced: body[12] === 1,
      };
    } else if (type === "PLTE") palette = body;
    else if (type === "tRNS") hasTransparency = true;
    else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    offset = start + length + 4;
  }
  if (!header) throw new Error("no IHDR chunk");
  if (idat.length === 0) throw new Error("no image data");
  if (header.width === 0 || header.height === 0) throw new Error("zero-sized image");
  return { ...header, palette, hasTransparency, data: Buffer.concat(idat) };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Why an image is refused before any decoding: over the pixel or the inflated-bytes limit. */
export class ImageLimitError extends Error {}

/** The bytes of the decoded image rows (filter bytes included), from the header alone. */
export function pngRawSize(png: Pick<PngInfo, "width" | "height" | "bitDepth" | "colorType">): number {
  const channels = CHANNELS[png.colorType];
  if (!channels) throw new Error(`unknown PNG colour type ${png.colorType}`);
  return (Math.ceil((png.width * channels * png.bitDepth) / 8) + 1) * png.height;
}

/**
 * Inflates the image data (counting, not keeping it) and checks it holds every row: a PNG whose
 * data is cut short would otherwise become a PDF that Benefits Intake cannot read. A bomb stops
 * at `maxInflatedBytes` with an ImageLimitError; native zlib takes milliseconds for a photo.
 */
export async function checkPngData(png: PngInfo, maxInflatedBytes: number): Promise<void> {
  const limit = `the ${describeBytes(maxInflatedBytes)} limit`;
  const expected = pngRawSize(png);
  if (expected > maxInflatedBytes)
    throw new ImageLimitError(`decoded pixels take ${describeBytes(expected)}, over ${limit}`);
  const inflated = await countInflated(png.data, maxInflatedBytes);
  if (inflated.overCap) throw new ImageLimitError(`image data inflates to more than ${limit}`);
  if (!inflated.complete) throw new Error("image data cannot be inflated");
  if (!png.interlaced && inflated.bytes < expected) throw new Error("image data is shorter than the image");
}

/** The EXIF orientation (1–8) of a JPEG, 1 when absent or unreadable. */
export function jpegOrientation(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= buf.length && buf[offset] === 0xff) {
    const marker = buf[offset + 1];
    if (marker === 0xda || marker === 0xd9) break; // start of scan: no more metadata
    const length = buf.readUInt16BE(offset + 2);
    if (marker === 0xe1 && buf.toString("latin1", offset + 4, offset + 10) === "Exif\0\0") {
      return exifOrientation(buf.subarray(offset + 10, offset + 2 + length));
    }
    offset += 2 + length;
  }
  return 1;
}

function exifOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 1;
  const little = tiff.toString("latin1", 0, 2) === "II";
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}
