// Regenerates public/favicon.ico from public/icon.svg: `npm run favicon` after changing the design.
// Browsers that take an SVG icon use icon.svg; /favicon.ico is for everything that asks for it by
// name (older browsers, bookmarks, feed readers). The SVG is drawn by the same Chromium the browser
// tests use, at each size the ICO carries, and the PNGs are packed into one ICO (PNG entries, which
// every browser since 2007 reads), so no image tool or npm package is needed.

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const SIZES = [16, 32, 48] as const;
const publicDir = path.join(process.cwd(), "public");

async function renderPngs(svg: string): Promise<Buffer[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const pngs: Buffer[] = [];
    for (const size of SIZES) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
      await page.setContent(
        `<html><body style="margin:0"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator("img").evaluate((img: HTMLImageElement) => img.decode());
      pngs.push(await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
      await page.close();
    }
    return pngs;
  } finally {
    await browser.close();
  }
}

// ICONDIR (6 bytes), one ICONDIRENTRY (16 bytes) per image, then the images. A width or height of
// 256 is written as 0; ours are smaller.
function packIco(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size % 256, entry);
    header.writeUInt8(size % 256, entry + 1);
    header.writeUInt8(0, entry + 2); // no palette
    header.writeUInt8(0, entry + 3); // reserved
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

async function main() {
  const svg = readFileSync(path.join(publicDir, "icon.svg"), "utf8");
  const pngs = await renderPngs(svg);
  const ico = packIco(SIZES.map((size, i) => ({ size, png: pngs[i] })));
  writeFileSync(path.join(publicDir, "favicon.ico"), ico);
  console.log(`public/favicon.ico: ${SIZES.join(", ")} px, ${ico.length} bytes`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
