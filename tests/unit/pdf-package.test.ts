import { createHash } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import {
  buildClaimPackage,
  chooseMainClaim,
  type PackageClaim,
  type PackageDocument,
  sanitizeFileName,
} from "@/lib/pdf/claim-package";
import { sample526, sample674, sample686c } from "@/lib/pdf/samples";
import { handWrittenPdf, makePng, makeSizedPdf, TINY_JPEG } from "../support/pdf-test-files";
import { extractPdfText, findText } from "../support/pdf-text";

const parentAt = new Date("2022-06-14T15:12:00Z");
const childAt = new Date("2022-06-14T15:14:00Z");
const VA_GOV_PARENT = "VA.GOV 2022-06-14 03:12 PM UTC";
const VA_GOV_CHILD = "VA.GOV 2022-06-14 03:14 PM UTC";
const FDC = "FDC Reviewed - VA.gov Submission";
const SUBMITTED = "Application Submitted on va.gov";

const claim686c: PackageClaim = {
  id: 10,
  guid: "aaaaaaaa-0000-4000-8000-000000000010",
  formType: "21-686C",
  formData: sample686c(),
  submittedAt: parentAt,
  isGroupParent: true,
};
const child674 = (id: number, name: string): PackageClaim => ({
  id,
  guid: `aaaaaaaa-0000-4000-8000-0000000000${id}`,
  formType: "21-674",
  formData: sample674(name),
  submittedAt: childAt,
  isGroupParent: false,
});

async function expectValid(doc: PackageDocument) {
  expect(createHash("sha256").update(doc.bytes).digest("hex")).toBe(doc.sha256);
  expect((await PDFDocument.load(doc.bytes)).getPageCount()).toBe(doc.pageCount);
}

describe("buildClaimPackage", () => {
  it("makes the 686c the main document, then the 674s, then the evidence files, all stamped", async () => {
    const pkg = await buildClaimPackage({
      claims: [child674(11, "Robin"), claim686c, child674(12, "Kit")],
      attachments: [
        {
          fileName: "Private Medical Record (final).PDF",
          contentType: "application/pdf",
          bytes: await makeSizedPdf(
            [
              [612, 792],
              [612, 792],
            ],
            { text: "Evidence" },
          ),
        },
        { fileName: "photo of injury.png", contentType: "image/png", bytes: makePng(320, 200) },
        { fileName: "scan.jpeg", contentType: "image/jpeg", bytes: TINY_JPEG },
      ],
    });

    expect(pkg.main).toMatchObject({ role: "main", formType: "21-686C", fileName: `21-686C_${claim686c.guid}.pdf` });
    expect(pkg.attachments.map((a) => [a.role, a.formType, a.fileName])).toEqual([
      ["attachment", "21-674", "21-674_aaaaaaaa-0000-4000-8000-000000000011.pdf"],
      ["attachment", "21-674", "21-674_aaaaaaaa-0000-4000-8000-000000000012.pdf"],
      ["attachment", "attachment", "attachment_3_Private_Medical_Record_final.pdf"],
      ["attachment", "attachment", "attachment_4_photo_of_injury.pdf"],
      ["attachment", "attachment", "attachment_5_scan.pdf"],
    ]);
    for (const doc of [pkg.main, ...pkg.attachments]) await expectValid(doc);

    // The main 686c: VA.GOV + FDC on every page, no "Application Submitted".
    for (const page of await extractPdfText(pkg.main.bytes)) {
      expect(findText(page, VA_GOV_PARENT)[0]).toMatchObject({ x: 5, y: 5 });
      expect(findText(page, FDC)[0]).toMatchObject({ x: 400, y: 770 });
      expect(findText(page, SUBMITTED)).toHaveLength(0);
      expect(page.text).toContain("Application Request to Add and/or Remove Dependents");
    }
    // The child 674s: their own submission time, FDC, and "Application Submitted" with the time under it.
    for (const [i, doc] of pkg.attachments.slice(0, 2).entries()) {
      const pages = await extractPdfText(doc.bytes);
      expect(pages[0].text).toContain(i === 0 ? "Robin Núñez-Test" : "Kit Núñez-Test");
      for (const page of pages) {
        expect(findText(page, VA_GOV_CHILD)[0]).toMatchObject({ x: 5, y: 5 });
        expect(findText(page, FDC)[0]).toMatchObject({ x: 400, y: 770 });
        expect(findText(page, SUBMITTED)[0]).toMatchObject({ x: 400, y: 675 });
        expect(findText(page, "2022-06-14 03:14 PM UTC")[0]).toMatchObject({ x: 400, y: 663 });
      }
    }
    // Evidence files: the VA.GOV stamp (the main claim's time) on every page, nothing else.
    for (const doc of pkg.attachments.slice(2)) {
      for (const page of await extractPdfText(doc.bytes)) {
        expect(findText(page, VA_GOV_PARENT)[0]).toMatchObject({ x: 5, y: 5 });
        expect(findText(page, FDC)).toHaveLength(0);
      }
    }
    expect(pkg.attachments[2].pageCount).toBe(2);
    expect((await extractPdfText(pkg.attachments[2].bytes))[1].text).toContain("Evidence 2");
  });

  it("makes a 526EZ the main document, stamped with VA.GOV only", async () => {
    const claim: PackageClaim = {
      id: 1,
      guid: "bbbbbbbb-0000-4000-8000-000000000001",
      formType: "21-526EZ",
      formData: sample526(30),
      submittedAt: parentAt,
      isGroupParent: true,
    };
    const pkg = await buildClaimPackage({ claims: [claim], attachments: [] });
    expect(pkg.main).toMatchObject({ role: "main", formType: "21-526EZ", fileName: `21-526EZ_${claim.guid}.pdf` });
    expect(pkg.attachments).toEqual([]);
    await expectValid(pkg.main);
    const pages = await extractPdfText(pkg.main.bytes);
    expect(pages.length).toBe(pkg.main.pageCount);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) {
      expect(findText(page, VA_GOV_PARENT)).toHaveLength(1);
      expect(findText(page, FDC)).toHaveLength(0);
      expect(findText(page, `VA Form 21-526EZ \u2014 page ${page.pageNumber} of ${pages.length}`)).toHaveLength(1);
    }
  });

  it("makes the first 674 the main document when there is no 686c", async () => {
    const pkg = await buildClaimPackage({ claims: [child674(21, "Robin"), child674(22, "Kit")], attachments: [] });
    expect(pkg.main.fileName).toBe("21-674_aaaaaaaa-0000-4000-8000-000000000021.pdf");
    expect(pkg.attachments.map((a) => a.fileName)).toEqual(["21-674_aaaaaaaa-0000-4000-8000-000000000022.pdf"]);
    const [page] = await extractPdfText(pkg.main.bytes);
    expect(findText(page, SUBMITTED)).toHaveLength(1); // still a child of its group
  });

  it("fails the whole package with a permanent error when an attachment is unusable", async () => {
    await expect(
      buildClaimPackage({
        claims: [claim686c],
        attachments: [
          { fileName: "locked.pdf", contentType: "application/pdf", bytes: handWrittenPdf({ encrypt: true }) },
        ],
      }),
    ).rejects.toMatchObject({ name: "PdfInputError", code: "encrypted", permanent: true });
  });

  it("refuses an empty package and a form that cannot travel with the main one", async () => {
    await expect(buildClaimPackage({ claims: [], attachments: [] })).rejects.toThrow(/at least one claim/);
    const c526: PackageClaim = {
      id: 1,
      guid: "g",
      formType: "21-526EZ",
      formData: sample526(1),
      submittedAt: parentAt,
      isGroupParent: true,
    };
    await expect(buildClaimPackage({ claims: [c526, claim686c], attachments: [] })).rejects.toThrow(/cannot travel/);
  });
});

describe("chooseMainClaim and sanitizeFileName", () => {
  it("chooses 526EZ, else 686c, else the first 674", () => {
    expect(chooseMainClaim([{ formType: "21-674" }, { formType: "21-686C" }])?.formType).toBe("21-686C");
    expect(chooseMainClaim([{ formType: "21-526EZ" }])?.formType).toBe("21-526EZ");
    const first = { formType: "21-674", n: 1 };
    expect(chooseMainClaim([first, { formType: "21-674", n: 2 }])).toBe(first);
    expect(chooseMainClaim([])).toBeUndefined();
  });

  it("keeps file names safe for multipart headers and file systems", () => {
    expect(sanitizeFileName("Médical réport (final).pdf")).toBe("Medical_report_final");
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName('C:\\Users\\vet\\scan "1".JPEG')).toBe("scan_1");
    expect(sanitizeFileName("照片.png")).toBe("file");
    expect(sanitizeFileName(`${"a".repeat(200)}.pdf`)).toHaveLength(80);
  });
});
