import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { CONDITIONS } from "@/db/seed/forms";
import { FORM_674_KEEP_OUT } from "@/lib/pdf/form-674";
import { renderForm, UnknownFormTypeError } from "@/lib/pdf/render";
import { sample526, sample674, sample686c, sampleVeteran } from "@/lib/pdf/samples";
import { stampsFor } from "@/lib/pdf/stamp";
import { sanitizeWinAnsi } from "@/lib/pdf/text";
import { extractPdfText, findText, type PdfTextItem } from "../support/pdf-text";

const ctx = { claimGuid: "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b", submittedAt: new Date("2022-06-14T15:12:00Z") };

/** The BaseFont of every font the document's pages use, F1 then F2. */
async function fontNames(pdf: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(pdf);
  const fonts = doc.getPage(0).node.Resources()!.lookup(PDFName.of("Font"), PDFDict);
  return fonts.keys().map((key) => fonts.lookup(key, PDFDict).get(PDFName.of("BaseFont"))!.toString().slice(1));
}

describe("renderForm", () => {
  it("renders a 526EZ with the veteran, the claim date and every section", async () => {
    const pdf = await renderForm("21-526EZ", sample526(3), ctx);
    const pages = await extractPdfText(pdf);
    const text = pages.map((p) => p.text).join("\n");
    for (const expected of [
      "VA FORM 21-526EZ",
      "Application for Disability Compensation and Related",
      "Renée Q. Núñez-Test",
      "000123456",
      "March 4, 1971",
      "Austin, TX 78701-1234",
      "veteran123@example.com",
      "June 14, 2022 at 03:12 PM UTC",
      ctx.claimGuid,
      "Service history",
      "General (under honorable conditions)",
      "Disabilities claimed (3)",
      "1. Tinnitus #1",
      "Worsened because of service",
      "Treatment facilities",
      "Example VA Medical Center",
      "Homelessness",
      "Remarks",
      "Please see attached private medical records.",
    ]) {
      expect(text).toContain(expected);
    }
    for (const page of pages) {
      expect(page.width).toBe(612);
      expect(page.height).toBe(792);
    }
  });

  it("renders a 686c with the action, the spouse and the children", async () => {
    const pages = await extractPdfText(await renderForm("21-686C", sample686c(), ctx));
    const text = pages.map((p) => p.text).join("\n");
    for (const expected of [
      "VA Form 21-686c",
      "Add dependents",
      "Sam Núñez-Test",
      "June 6, 2000",
      "Children (2)",
      "Kit Núñez-Test",
      "Stepchild",
      "No remarks.",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("renders a 674 with the student, the school, the term and full-time attendance", async () => {
    const pages = await extractPdfText(await renderForm("21-674", sample674("Robin"), ctx));
    const text = pages.map((p) => p.text).join("\n");
    for (const expected of [
      "Request for Approval of School Attendance",
      "Robin Núñez-Test",
      "Example State University",
      "Denver, CO 80202",
      "August 20, 2022",
      "May 15, 2025",
      "Attending full time",
      "Yes",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("wraps a 526EZ with 30 disabilities over several pages, each numbered in the running header", async () => {
    const pdf = await renderForm("21-526EZ", sample526(30), ctx);
    const pages = await extractPdfText(pdf);
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((page, i) => {
      expect(findText(page, `VA Form 21-526EZ \u2014 page ${i + 1} of ${pages.length}`)).toHaveLength(1);
      expect(page.text).toContain("Núñez-Test, Renée");
      for (const item of page.items) {
        // Inside the page, clear of the stamp bands (above 760, and the VA.GOV corner).
        expect(item.x).toBeGreaterThanOrEqual(54);
        expect(item.x + item.width).toBeLessThanOrEqual(558.5);
        expect(item.y).toBeLessThan(760);
        expect(item.y).toBeGreaterThan(20);
      }
    });
    const all = pages.map((p) => p.text).join("\n");
    for (let n = 1; n <= 30; n++) expect(all).toContain(`${n}. `);
    expect(all).toContain(`30. ${CONDITIONS[29 % CONDITIONS.length]} #30`);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(pages.length);
  });

  it("wraps long values and cuts words longer than a line", async () => {
    const data = sample526(1);
    data.remarks = `${"word ".repeat(400)}https://example.com/${"x".repeat(300)}`;
    const pages = await extractPdfText(await renderForm("21-526EZ", data, ctx));
    for (const page of pages) for (const item of page.items) expect(item.x + item.width).toBeLessThanOrEqual(558.5);
  });

  // Issue #15: the stamped PDF is the record of what the veteran wrote.
  it("shows names as written: Latin-1 in Helvetica, a string with other letters in an embedded Noto Sans", async () => {
    const latin1 = await renderForm("21-526EZ", sample526(1), ctx);
    expect(await fontNames(latin1)).toEqual(["Helvetica", "Helvetica-Bold"]);
    expect((await extractPdfText(latin1))[0].text).toContain("Núñez-Test, Renée");

    const data = sample526(1, { ...sampleVeteran, firstName: "Łukasz", lastName: "Nguyễn-Núñez" });
    data.remarks = "Дмитрий Ødegård, Ζωή, Şişli, Dvořák";
    const pdf = await renderForm("21-526EZ", data, ctx);
    // Only the strings that need it are drawn in Noto Sans: a subset of a few dozen glyphs.
    const fonts = await fontNames(pdf);
    expect(fonts.map((f) => f.replace(/^[A-Z]{6}\+/, ""))).toEqual(["Helvetica", "Helvetica-Bold", "NotoSans-Regular"]);
    const text = (await extractPdfText(pdf)).map((p) => p.text).join("\n");
    expect(text).toContain("Nguyễn-Núñez, Łukasz"); // the running header
    expect(text).toContain("Łukasz Q. Nguyễn-Núñez");
    expect(text).toContain("Дмитрий Ødegård, Ζωή, Şişli, Dvořák");
    // The same claim, the same bytes: the subset and its name come from the text, not the clock.
    expect(Buffer.from(await renderForm("21-526EZ", data, ctx)).equals(Buffer.from(pdf))).toBe(true);
  });

  it("replaces characters neither font can show instead of failing", async () => {
    const data = sample526(1, { ...sampleVeteran, firstName: "Łukasz 🎖️", lastName: "Chén 陈" });
    data.remarks = "Smart “quotes” – dashes — ellipsis… tab\there, zero\u200bwidth, ő and ł";
    const pages = await extractPdfText(await renderForm("21-526EZ", data, ctx));
    const text = pages.map((p) => p.text).join("\n");
    expect(text).toContain("Łukasz ?");
    expect(text).toContain("Chén ?");
    expect(text).toContain("Smart “quotes” – dashes — ellipsis… tab here, zerowidth, ő and ł");
  });

  it("tolerates malformed form data (missing sections, wrong types)", async () => {
    const pdf = await renderForm(
      "21-526EZ",
      { veteran: null, disabilities: "nope", serviceHistory: [null], remarks: 7 },
      ctx,
    );
    const text = (await extractPdfText(pdf)).map((p) => p.text).join("\n");
    expect(text).toContain("Not provided");
    expect(text).toContain("Veteran name not provided");
  });

  it("keeps every form's text clear of the stamps (child 674: 'Application Submitted' band)", async () => {
    // Glyph boxes: from the descender (~0.22 em below the baseline) to the ascender (~0.75 em).
    const box = (i: PdfTextItem) => ({
      x0: i.x,
      x1: i.x + i.width,
      y0: i.y - 0.22 * i.height,
      y1: i.y + 0.75 * i.height,
    });
    const collide = (a: PdfTextItem, b: PdfTextItem) => {
      const p = box(a);
      const q = box(b);
      return p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1;
    };
    const cases = [
      { formType: "21-674" as const, data: sample674(), isChild674: true },
      {
        formType: "21-674" as const,
        data: { ...sample674(), remarks: "A long remark that wraps. ".repeat(400) },
        isChild674: true,
      }, // several pages
      { formType: "21-686C" as const, data: sample686c(), isChild674: false },
      { formType: "21-526EZ" as const, data: sample526(12), isChild674: false },
    ];
    for (const c of cases) {
      const stamps = stampsFor({
        formType: c.formType,
        isChild674: c.isChild674,
        submittedAt: ctx.submittedAt,
        isAttachment: false,
      });
      const stampTexts = new Set(stamps.map((s) => s.text));
      const pages = await extractPdfText(await renderForm(c.formType, c.data, { ...ctx, stamps }));
      for (const page of pages) {
        const stampItems = page.items.filter((i) => stampTexts.has(i.str));
        expect(stampItems).toHaveLength(stamps.length);
        for (const item of page.items) {
          if (stampTexts.has(item.str)) continue;
          for (const stamp of stampItems) expect(collide(item, stamp), `${item.str} / ${stamp.str}`).toBe(false);
        }
      }
    }
    // Beside the child 674 stamp the confirmation number is not split: it moved below, whole.
    const pages = await extractPdfText(await renderForm("21-674", sample674(), ctx));
    expect(findText(pages[0], ctx.claimGuid)).toHaveLength(1);
    expect(findText(pages[0], ctx.claimGuid)[0].y + 7.5).toBeLessThan(FORM_674_KEEP_OUT[0].yBottom);
  });

  it("gives the same bytes for the same claim (content-addressed storage keeps one copy)", async () => {
    const a = await renderForm("21-686C", sample686c(), ctx);
    const b = await renderForm("21-686C", sample686c(), ctx);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it("rejects an unknown form type", async () => {
    await expect(renderForm("21-0966" as never, {}, ctx)).rejects.toBeInstanceOf(UnknownFormTypeError);
  });
});

describe("sanitizeWinAnsi", () => {
  it("keeps Latin-1 and the WinAnsi extras, maps or drops the rest", () => {
    expect(sanitizeWinAnsi("José Zoë Siobhán Núñez € ™ • …")).toBe("José Zoë Siobhán Núñez € ™ • …");
    expect(sanitizeWinAnsi("Łódź Dvořák")).toBe("Lódz Dvorák");
    expect(sanitizeWinAnsi("a\u2009b\u2010c\u2212d")).toBe("a b-c-d"); // NBSP itself is WinAnsi and kept
    expect(sanitizeWinAnsi("e\u0301")).toBe("é"); // combining accent composed first
    expect(sanitizeWinAnsi("line1\r\nline2")).toBe("line1\nline2");
    expect(sanitizeWinAnsi("x\u0000y\u0007z")).toBe("xyz");
    expect(sanitizeWinAnsi("😀")).toBe("?");
  });
});
