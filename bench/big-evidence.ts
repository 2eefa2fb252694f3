import { randomBytes } from "node:crypto";
import { PDFDocument, PDFName } from "pdf-lib";

// A large evidence file as a scanner makes one: pages that are each one JPEG-coded image of the
// page. The image data is random (incompressible, as scans nearly are) and never decoded on the
// way: the worker copies and stamps the pages, Benefits Intake counts the bytes.

const PAGE_BYTES = 2_000_000; // a 200 dpi colour scan of a Letter page, roughly
const WIDTH = 1700;
const HEIGHT = 2200;

export async function makeScannedEvidencePdf(totalBytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const pages = Math.max(1, Math.floor(totalBytes / PAGE_BYTES));
  const last = totalBytes - (pages - 1) * PAGE_BYTES - 4_000 * pages; // room for the PDF's own objects
  for (let i = 0; i < pages; i++) {
    const image = doc.context.stream(randomBytes(i === pages - 1 ? Math.max(1_000, last) : PAGE_BYTES - 4_000), {
      Type: "XObject",
      Subtype: "Image",
      Width: WIDTH,
      Height: HEIGHT,
      ColorSpace: "DeviceRGB",
      BitsPerComponent: 8,
      Filter: "DCTDecode",
    });
    const ref = doc.context.register(image);
    const page = doc.addPage([612, 792]);
    page.node.setXObject(PDFName.of("Scan"), ref);
    page.node.addContentStream(doc.context.register(doc.context.stream("q 612 0 0 792 0 0 cm /Scan Do Q")));
  }
  return doc.save({ useObjectStreams: false });
}
