import { PDFDocument, PDFName, type PDFRawStream } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { attachmentKind, attachmentToPdf } from "@/lib/pdf/attachments";
import { isPdfInputError, type PdfInputError } from "@/lib/pdf/errors";
import { jpegOrientation } from "@/lib/pdf/image-info";
import { handWrittenPdf, makePng, makeSizedPdf, TINY_JPEG, withExifOrientation } from "../support/pdf-test-files";
import { extractPdfText } from "../support/pdf-text";

const png = (bytes: Uint8Array, fileName = "photo.png") => ({ fileName, contentType: "image/png", bytes });

/** The one image drawn on the single page: its pixel size and the cm matrix placing it. */
async function placedImage(pdf: Uint8Array) {
  const doc = await PDFDocument.load(pdf);
  expect(doc.getPageCount()).toBe(1);
  const page = doc.getPage(0);
  const xobjects = page.node.Resources()!.lookup(PDFName.of("XObject")) as unknown as {
    entries(): [PDFName, unknown][];
  };
  const [[, ref]] = xobjects.entries();
  const image = doc.context.lookup(ref as never) as PDFRawStream;
  const content = Buffer.from(
    (doc.context.lookup(page.node.get(PDFName.Contents)) as PDFRawStream).getContents(),
  ).toString("latin1");
  const m = /q ([-\d. ]+) cm/.exec(content)![1].trim().split(" ").map(Number);
  return {
    page: page.getSize(),
    pixels: {
      width: Number(image.dict.get(PDFName.of("Width"))!.toString()),
      height: Number(image.dict.get(PDFName.of("Height"))!.toString()),
    },
    filter: image.dict.get(PDFName.of("Filter"))?.toString(),
    matrix: m,
  };
}

async function rejection(promise: Promise<unknown>): Promise<PdfInputError> {
  try {
    await promise;
  } catch (error) {
    expect(isPdfInputError(error)).toBe(true);
    return error as PdfInputError;
  }
  throw new Error("expected a PdfInputError");
}

describe("attachmentToPdf: images", () => {
  it("places a PNG on a Letter page, inside the margins, keeping its aspect ratio", async () => {
    const pdf = await attachmentToPdf(png(makePng(600, 1500)));
    const placed = await placedImage(pdf);
    expect(placed.page).toEqual({ width: 612, height: 792 });
    expect(placed.pixels).toEqual({ width: 600, height: 1500 });
    const [a, , , d, e, f] = placed.matrix;
    expect(d).toBeCloseTo(720, 1); // 792 - 2 x 36
    expect(a / d).toBeCloseTo(600 / 1500, 4);
    expect(e).toBeGreaterThanOrEqual(36);
    expect(f).toBeGreaterThanOrEqual(36);
  });

  it("turns the page to landscape for a landscape image and never enlarges past 72 dpi", async () => {
    const wide = await placedImage(await attachmentToPdf(png(makePng(2000, 1000))));
    expect(wide.page).toEqual({ width: 792, height: 612 });
    expect(wide.matrix[0]).toBeCloseTo(720, 1);
    const small = await placedImage(await attachmentToPdf(png(makePng(320, 200))));
    expect(small.matrix[0]).toBe(320);
    expect(small.matrix[3]).toBe(200);
  });

  it("copies RGB, grey and palette PNG data as is, and decodes PNGs with alpha", async () => {
    for (const colorType of [0, 2, 3] as const) {
      const placed = await placedImage(await attachmentToPdf(png(makePng(40, 30, colorType))));
      expect(placed.filter).toBe("/FlateDecode");
      expect(placed.pixels).toEqual({ width: 40, height: 30 });
    }
    const rgba = await placedImage(await attachmentToPdf(png(makePng(40, 30, 6))));
    expect(rgba.pixels).toEqual({ width: 40, height: 30 });
  });

  it("converts a JPEG, and turns it the right way up from its EXIF orientation", async () => {
    const plain = await placedImage(
      await attachmentToPdf({ fileName: "scan.jpg", contentType: "image/jpeg", bytes: TINY_JPEG }),
    );
    expect(plain.filter).toBe("/DCTDecode");
    expect(plain.page).toEqual({ width: 792, height: 612 }); // 48 x 32: landscape
    expect(plain.matrix).toEqual([48, 0, 0, 32, (792 - 48) / 2, 612 - 36 - 32]);

    const rotated = withExifOrientation(TINY_JPEG, 6); // stored sideways: shown 32 wide, 48 high
    expect(jpegOrientation(rotated)).toBe(6);
    const upright = await placedImage(
      await attachmentToPdf({ fileName: "phone.jpg", contentType: "image/jpeg", bytes: rotated }),
    );
    expect(upright.page).toEqual({ width: 612, height: 792 });
    const [a, b, c, d] = upright.matrix;
    expect([a, b, c, d]).toEqual([0, -48, 32, 0]); // a quarter turn clockwise
  });

  it("trusts the bytes over a generic or wrong image content type", async () => {
    expect(attachmentKind({ fileName: "x", contentType: "application/octet-stream", bytes: TINY_JPEG })).toBe("jpeg");
    expect(attachmentKind({ fileName: "x", contentType: "image/png", bytes: TINY_JPEG })).toBe("jpeg");
    expect(attachmentKind({ fileName: "x", contentType: "image/jpeg; charset=binary", bytes: makePng(2, 2) })).toBe(
      "png",
    );
  });
});

describe("attachmentToPdf: PDFs", () => {
  it("passes a PDF through with its pages", async () => {
    const pdf = await attachmentToPdf({
      fileName: "records.pdf",
      contentType: "application/pdf",
      bytes: await makeSizedPdf(
        [
          [612, 792],
          [842, 595],
        ],
        { text: "Record" },
      ),
    });
    const pages = await extractPdfText(pdf);
    expect(pages.map((p) => [p.width, p.height])).toEqual([
      [612, 792],
      [842, 595],
    ]);
    expect(pages[1].text).toContain("Record 2");
  });
});

describe("attachmentToPdf: rejections (permanent failures)", () => {
  it("rejects an encrypted PDF, even one that opens without a password", async () => {
    const encrypted = handWrittenPdf({ encrypt: true, text: "Secret" });
    // The fixture is a real encrypted PDF: an independent reader decrypts it.
    expect((await extractPdfText(encrypted))[0].text).toContain("Secret");
    const error = await rejection(
      attachmentToPdf({ fileName: "locked.pdf", contentType: "application/pdf", bytes: encrypted }),
    );
    expect(error).toMatchObject({ code: "encrypted", permanent: true, fileName: "locked.pdf" });
    expect(error.message).toContain("locked.pdf");
  });

  it("rejects garbage, truncated and empty files as unreadable or empty", async () => {
    const garbage = await rejection(
      attachmentToPdf({
        fileName: "a.pdf",
        contentType: "application/pdf",
        bytes: Buffer.from("%PDF-1.7\n\u0000garbage garbage"),
      }),
    );
    expect(["unreadable", "empty"]).toContain(garbage.code);
    const notPdf = await rejection(
      attachmentToPdf({ fileName: "b.pdf", contentType: "application/pdf", bytes: Buffer.from("hello") }),
    );
    expect(notPdf.code).toBe("unreadable");
    const whole = makePng(200, 200);
    const truncated = await rejection(attachmentToPdf(png(whole.subarray(0, whole.length - 40))));
    expect(truncated.code).toBe("unreadable");
    const cutJpeg = await rejection(
      attachmentToPdf({ fileName: "c.jpg", contentType: "image/jpeg", bytes: TINY_JPEG.subarray(0, 20) }),
    );
    expect(cutJpeg.code).toBe("unreadable");
    const empty = await rejection(
      attachmentToPdf({ fileName: "d.png", contentType: "image/png", bytes: new Uint8Array() }),
    );
    expect(empty.code).toBe("empty");
  });

  it("rejects unsupported types", async () => {
    const tiff = await rejection(
      attachmentToPdf({ fileName: "scan.tiff", contentType: "image/tiff", bytes: Buffer.from("II*\u0000....") }),
    );
    expect(tiff.code).toBe("unsupported_type");
    const docx = await rejection(
      attachmentToPdf({
        fileName: "letter.docx",
        contentType: "application/octet-stream",
        bytes: Buffer.from("PK\u0003\u0004...."),
      }),
    );
    expect(docx.code).toBe("unsupported_type");
  });

  it("rejects pages over Benefits Intake's 78 x 101 inch limit", async () => {
    const huge = await makeSizedPdf([[80 * 72, 90 * 72]]);
    const error = await rejection(
      attachmentToPdf({ fileName: "plan.pdf", contentType: "application/pdf", bytes: huge }),
    );
    expect(error.code).toBe("page_too_large");
  });
});
