import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { formatStampTimestamp } from "@/lib/pdf/format";
import { stampPdf, stampsFor } from "@/lib/pdf/stamp";
import { handWrittenPdf, makeSizedPdf } from "../support/pdf-test-files";
import { extractPdfText, findText, type PdfPageText } from "../support/pdf-text";

const submittedAt = new Date("2022-06-14T15:12:00Z");
const VA_GOV = "VA.GOV 2022-06-14 03:12 PM UTC";
const FDC = "FDC Reviewed - VA.gov Submission";
const SUBMITTED = "Application Submitted on va.gov";
const LETTER: [number, number] = [612, 792];

function only(page: PdfPageText, str: string) {
  const found = findText(page, str);
  expect(found, `"${str}" on page ${page.pageNumber}`).toHaveLength(1);
  return found[0];
}

describe("formatStampTimestamp", () => {
  it("formats %Y-%m-%d %I:%M %p %Z in UTC", () => {
    expect(formatStampTimestamp(submittedAt)).toBe("2022-06-14 03:12 PM UTC");
    expect(formatStampTimestamp(new Date("2022-01-02T00:05:00Z"))).toBe("2022-01-02 12:05 AM UTC");
    expect(formatStampTimestamp(new Date("2022-01-02T12:00:00Z"))).toBe("2022-01-02 12:00 PM UTC");
    expect(formatStampTimestamp(new Date("2022-12-31T23:59:59Z"))).toBe("2022-12-31 11:59 PM UTC");
    // A claim filed late on the US east coast is dated by its UTC time, not the worker's zone.
    expect(formatStampTimestamp(new Date("2022-06-14T22:30:00-04:00"))).toBe("2022-06-15 02:30 AM UTC");
  });
});

describe("stampsFor", () => {
  it("puts VA.GOV on every document, FDC on dependents forms, the submitted stamp on child 674s", () => {
    const texts = (o: Parameters<typeof stampsFor>[0]) =>
      stampsFor(o).map((s) => `${s.text}@${s.x},${s.y},${s.anchor}`);
    expect(texts({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: false })).toEqual([
      `${VA_GOV}@5,5,bottom`,
    ]);
    expect(texts({ formType: "21-686C", isChild674: false, submittedAt, isAttachment: false })).toEqual([
      `${VA_GOV}@5,5,bottom`,
      `${FDC}@400,770,top`,
    ]);
    expect(texts({ formType: "21-674", isChild674: false, submittedAt, isAttachment: false })).toEqual([
      `${VA_GOV}@5,5,bottom`,
      `${FDC}@400,770,top`,
    ]);
    expect(texts({ formType: "21-674", isChild674: true, submittedAt, isAttachment: false })).toEqual([
      `${VA_GOV}@5,5,bottom`,
      `${FDC}@400,770,top`,
      `${SUBMITTED}@400,675,top`,
      "2022-06-14 03:12 PM UTC@400,663,top",
    ]);
    expect(texts({ formType: "21-686C", isChild674: false, submittedAt, isAttachment: true })).toEqual([
      `${VA_GOV}@5,5,bottom`,
    ]);
  });
});

describe("stampPdf", () => {
  it("stamps every page of a Letter PDF at the reference positions", async () => {
    const input = await makeSizedPdf(Array.from({ length: 10 }, () => LETTER));
    const stamps = stampsFor({ formType: "21-674", isChild674: true, submittedAt, isAttachment: false });
    const pages = await extractPdfText(await stampPdf(input, stamps));
    expect(pages).toHaveLength(10);
    for (const page of pages) {
      expect(page.text).toContain(`Page ${page.pageNumber}`); // the original content is still there
      expect(only(page, VA_GOV)).toMatchObject({ x: 5, y: 5, angle: 0, height: 10 });
      expect(only(page, FDC)).toMatchObject({ x: 400, y: 770 });
      expect(only(page, SUBMITTED)).toMatchObject({ x: 400, y: 675 });
      expect(only(page, "2022-06-14 03:12 PM UTC")).toMatchObject({ x: 400, y: 663 });
    }
  });

  it("does not modify its input", async () => {
    const input = await makeSizedPdf([LETTER]);
    const copy = Buffer.from(input);
    await stampPdf(input, stampsFor({ formType: "21-686C", isChild674: false, submittedAt, isAttachment: false }));
    expect(Buffer.from(input).equals(copy)).toBe(true);
  });

  it("places stamps relative to each page's own box: bottom-left, and the same distance from the top", async () => {
    const input = await makeSizedPdf([
      [842, 1191],
      [612, 1008],
      [300, 400],
    ]); // A3, Legal, a small receipt
    const stamps = stampsFor({ formType: "21-686C", isChild674: false, submittedAt, isAttachment: false });
    const [a3, legal, receipt] = await extractPdfText(await stampPdf(input, stamps));
    expect(only(a3, VA_GOV)).toMatchObject({ x: 5, y: 5 });
    expect(only(a3, FDC)).toMatchObject({ x: 400, y: 1191 - 22 });
    expect(only(legal, FDC)).toMatchObject({ x: 400, y: 1008 - 22 });
    // Too narrow for x = 400: pulled left so the text still ends inside the page.
    const fdc = only(receipt, FDC);
    expect(fdc.y).toBe(400 - 22);
    expect(fdc.x + fdc.width).toBeLessThanOrEqual(300 - 5 + 0.01);
    expect(fdc.x).toBeGreaterThanOrEqual(5);
  });

  it("stamps rotated pages where the reader sees bottom-left and top, reading upright", async () => {
    for (const rotate of [90, 180, 270]) {
      const input = await makeSizedPdf([LETTER], { rotate });
      const stamps = stampsFor({ formType: "21-686C", isChild674: false, submittedAt, isAttachment: false });
      const [page] = await extractPdfText(await stampPdf(input, stamps));
      const va = only(page, VA_GOV);
      const fdc = only(page, FDC);
      // In user space the text turns with the page; pdfjs reports the rotated baseline direction.
      expect(va.angle).toBe(rotate === 90 ? 90 : rotate === 180 ? 180 : -90);
      // Map user space to what the reader sees, then check the reference positions.
      const view = (x: number, y: number) =>
        rotate === 90 ? { x: y, y: 612 - x } : rotate === 180 ? { x: 612 - x, y: 792 - y } : { x: 792 - y, y: x };
      const viewH = rotate === 180 ? 792 : 612;
      expect(view(va.x, va.y).x).toBeCloseTo(5, 3);
      expect(view(va.x, va.y).y).toBeCloseTo(5, 3);
      expect(view(fdc.x, fdc.y).x).toBeCloseTo(400, 3);
      expect(view(fdc.x, fdc.y).y).toBeCloseTo(viewH - 22, 3);
    }
  });

  it("is not moved by a page that leaves its graphics state changed", async () => {
    const input = await makeSizedPdf([LETTER, LETTER], { unbalancedState: true });
    const pages = await extractPdfText(
      await stampPdf(input, stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: false })),
    );
    for (const page of pages) expect(only(page, VA_GOV)).toMatchObject({ x: 5, y: 5 });
  });

  it("stamps a hand-written PDF with inherited resources and a single content stream", async () => {
    const out = await stampPdf(
      handWrittenPdf({ text: "Old scanner output" }),
      stampsFor({ formType: "21-686C", isChild674: false, submittedAt, isAttachment: false }),
    );
    const [page] = await extractPdfText(out);
    expect(page.text).toContain("Old scanner output");
    expect(only(page, VA_GOV)).toMatchObject({ x: 5, y: 5 });
    expect(only(page, FDC)).toMatchObject({ x: 400, y: 770 });
  });

  it("stamps a document twice without losing either stamp", async () => {
    const once = await stampPdf(
      await makeSizedPdf([LETTER]),
      stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: false }),
    );
    const later = new Date("2023-01-01T09:00:00Z");
    const twice = await stampPdf(
      once,
      stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt: later, isAttachment: false }),
    );
    const [page] = await extractPdfText(twice);
    expect(findText(page, VA_GOV)).toHaveLength(1);
    expect(findText(page, "VA.GOV 2023-01-01 09:00 AM UTC")).toHaveLength(1);
    expect((await PDFDocument.load(twice)).getPageCount()).toBe(1);
  });

  it("rejects bytes that are not a usable PDF", async () => {
    const stamps = stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: false });
    await expect(stampPdf(Buffer.from("not a pdf at all"), stamps)).rejects.toMatchObject({
      name: "PdfInputError",
      code: "unreadable",
    });
    await expect(stampPdf(handWrittenPdf({ encrypt: true }), stamps)).rejects.toMatchObject({ code: "encrypted" });
  });
});
