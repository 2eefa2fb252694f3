import { afterEach, describe, expect, it } from "vitest";
import { buildClaimPackage, type ClaimPackageInput } from "@/lib/pdf/claim-package";
import { isPdfInputError, type PdfInputError } from "@/lib/pdf/errors";
import { DEFAULT_EVIDENCE_LIMITS } from "@/lib/pdf/limits";
import { type PdfPoolOptions, PdfThreadPool } from "@/lib/pdf/package-pool";
import { sample526, sampleVeteran } from "@/lib/pdf/samples";
import { declaredPngBomb, deepPageTreePdf, manyPagesPdf } from "../support/hostile-evidence";
import { makePng } from "../support/pdf-test-files";

// Issue #14.3: one claim's PDF work runs in a thread with a heap and a time limit. A runaway input
// fails that claim (permanently: the same bytes do the same every time) and the pool goes on.

const submittedAt = new Date("2022-06-14T15:12:00Z");
const claimInput = (attachments: ClaimPackageInput["attachments"] = []): ClaimPackageInput => ({
  claims: [
    {
      id: 1,
      guid: "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
      formType: "21-526EZ",
      formData: sample526(3),
      submittedAt,
      isGroupParent: true,
    },
  ],
  attachments,
});
const pdf = (fileName: string, bytes: Uint8Array) => ({ fileName, contentType: "application/pdf", bytes });

let pool: PdfThreadPool | undefined;
afterEach(async () => pool?.close());
const start = (options: Partial<PdfPoolOptions>) => {
  pool = new PdfThreadPool({
    threads: 1,
    maxHeapMb: 256,
    timeoutMs: 60_000,
    limits: DEFAULT_EVIDENCE_LIMITS,
    ...options,
  });
  return pool;
};

async function failure(promise: Promise<unknown>): Promise<PdfInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPdfInputError(error), String(error)).toBe(true);
  return error as PdfInputError;
}

describe("the PDF thread pool", () => {
  it("builds the same package as the calling thread would, and passes refusals back as PdfInputError", async () => {
    const threads = start({});
    const input = claimInput([{ fileName: "photo.png", contentType: "image/png", bytes: makePng(300, 200) }]);
    const [inThread, inline] = await Promise.all([threads.run(input), buildClaimPackage(input)]);
    expect(inThread.main.sha256).toBe(inline.main.sha256);
    expect(inThread.attachments.map((a) => a.sha256)).toEqual(inline.attachments.map((a) => a.sha256));
    // A name drawn in the embedded Noto Sans (the thread loads the font file itself).
    const unicode = claimInput();
    unicode.claims[0].formData = sample526(3, { ...sampleVeteran, firstName: "Łukasz", lastName: "Nguyễn" });
    const [unicodeInThread, unicodeInline] = await Promise.all([threads.run(unicode), buildClaimPackage(unicode)]);
    expect(unicodeInThread.main.sha256).toBe(unicodeInline.main.sha256);
    expect(unicodeInThread.main.sha256).not.toBe(inline.main.sha256);

    const error = await failure(
      threads.run(claimInput([{ fileName: "bomb.png", contentType: "image/png", bytes: declaredPngBomb() }])),
    );
    expect(error.code).toBe("over_limit");
    expect(error.fileName).toBe("bomb.png");
    expect(error.message).toMatch(/^bomb\.png: the PNG is 100000 x 100000 pixels/);
  });

  it("fails a claim whose PDFs need more heap than a thread may use, and serves the next claim", async () => {
    const threads = start({ maxHeapMb: 32, limits: { ...DEFAULT_EVIDENCE_LIMITS, maxPdfPages: 10_000_000 } });
    const error = await failure(threads.run(claimInput([pdf("many.pdf", manyPagesPdf(50_000))])));
    expect(error.code).toBe("over_limit");
    expect(error.message).toBe("building the claim's PDFs needed more than the 32 MB of memory a PDF thread may use");
    const next = await threads.run(claimInput());
    expect(next.main.pageCount).toBeGreaterThan(0);
  });

  it("stops a claim's PDF work at the time limit, and serves the claims waiting behind it", async () => {
    const threads = start({ timeoutMs: 1_000 });
    // Deep enough that parsing it outlasts the limit on any machine (100,000 levels sometimes
    // ended sooner, as a broken page tree, and the test saw that instead).
    const slow = failure(threads.run(claimInput([pdf("deep.pdf", deepPageTreePdf(400_000))])));
    const waiting = [threads.run(claimInput()), threads.run(claimInput())];
    expect((await slow).message).toBe("building the claim's PDFs took longer than 1 s");
    for (const pkg of await Promise.all(waiting)) expect(pkg.main.pageCount).toBeGreaterThan(0);
  });

  it("runs claims side by side on several threads", async () => {
    const threads = start({ threads: 2 });
    const packages = await Promise.all(Array.from({ length: 6 }, () => threads.run(claimInput())));
    expect(new Set(packages.map((p) => p.main.sha256)).size).toBe(1);
  });
});
