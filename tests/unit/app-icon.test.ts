import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { metadata } from "@/app/layout";

// The app's icon: the layout points browsers at files that exist in public/, and /favicon.ico is a
// real ICO (drawn from icon.svg by `npm run favicon`), not a renamed PNG a browser may refuse.

const publicDir = path.join(process.cwd(), "public");

function icoImages(ico: Buffer) {
  expect(ico.readUInt16LE(0)).toBe(0); // reserved
  expect(ico.readUInt16LE(2)).toBe(1); // type: icon
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + 16 * i;
    const size = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    const png = ico.subarray(offset, offset + size);
    return {
      width: ico.readUInt8(entry) || 256,
      height: ico.readUInt8(entry + 1) || 256,
      png,
      // A PNG's IHDR: width and height right after the 8-byte signature and the chunk header.
      pngWidth: png.readUInt32BE(16),
      pngHeight: png.readUInt32BE(20),
      end: offset + size,
    };
  });
}

describe("app icon", () => {
  it("favicon.ico carries 16, 32 and 48 px PNG images of the sizes it declares", () => {
    const ico = readFileSync(path.join(publicDir, "favicon.ico"));
    const images = icoImages(ico);
    expect(images.map((i) => i.width)).toEqual([16, 32, 48]);
    for (const image of images) {
      expect(image.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect([image.pngWidth, image.pngHeight]).toEqual([image.width, image.height]);
      expect(image.end).toBeLessThanOrEqual(ico.length);
    }
  });

  it("icon.svg is a square SVG in the app's colours", () => {
    const svg = readFileSync(path.join(publicDir, "icon.svg"), "utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64"/);
    expect(svg).toContain("#005ea2"); // --color-primary, the header's blue
    expect(svg).toContain("#00a91c"); // --color-success
  });

  it("the layout's metadata names both icons, and both exist in public/", () => {
    const icons = metadata.icons as { icon: { url: string; type?: string }[] };
    expect(icons.icon.map((i) => i.url)).toEqual(["/favicon.ico", "/icon.svg"]);
    for (const { url } of icons.icon) expect(existsSync(path.join(publicDir, url))).toBe(true);
  });
});
