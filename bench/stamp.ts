import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { buildClaimPackage, type PackageClaim } from "@/lib/pdf/claim-package";
import { formatStampTimestamp } from "@/lib/pdf/format";
import { DEFAULT_EVIDENCE_LIMITS } from "@/lib/pdf/limits";
import { FAST_SAVE } from "@/lib/pdf/load";
import { PdfThreadPool } from "@/lib/pdf/package-pool";
import { renderForm } from "@/lib/pdf/render";
import { sample526, sample674, sample686c, sampleVeteran } from "@/lib/pdf/samples";
import { applyStamps, type StampSpec, stampPdf, stampsFor } from "@/lib/pdf/stamp";
import { withTempDir } from "@/lib/pdf/storage";

// Stamping and rendering figures (docs/design.md §7: a 10-page PDF stamped in <= 20 ms; the backup flow's
// >= 50 claims/s is bounded by this PDF work), and the same stamp done by pdftk for comparison.

export type BenchRow = { name: string; value: string; target?: string };

const PDFTK = "/usr/bin/pdftk";
const run = promisify(execFile);
const submittedAt = new Date("2022-06-14T15:12:00Z");
const guid = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";

type Stats = { p50: number; mean: number; p95: number; cpu: number };

/**
 * Wall-clock p50 / mean / p95 per run, and the process CPU time per run: on a shared 2-core
 * machine the wall-clock tail mostly measures the neighbours, the CPU time measures us.
 */
async function measure(runs: number, fn: () => Promise<unknown>): Promise<Stats> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn(); // JIT warm-up, font metrics loaded
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return {
    p50: at(0.5),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    p95: at(0.95),
    cpu: (cpu.user + cpu.system) / 1000 / runs,
  };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const stats = (s: Stats) => `p50 ${ms(s.p50)}, mean ${ms(s.mean)}, p95 ${ms(s.p95)}, cpu ${ms(s.cpu)}`;

/** A real 10-page Letter form (a long 526EZ cut to 10 pages), not yet stamped. */
async function tenPagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await renderForm("21-526EZ", sample526(80), { claimGuid: guid, submittedAt }));
  while (doc.getPageCount() > 10) doc.removePage(doc.getPageCount() - 1);
  if (doc.getPageCount() !== 10) throw new Error(`expected 10 pages, got ${doc.getPageCount()}`);
  return doc.save();
}

/** The stamp as pdftk multistamp wants it: a one-page PDF with only the stamp texts. */
async function stampOverlay(stamps: StampSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = doc.embedStandardFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  for (const s of stamps) page.drawText(s.text, { x: s.x, y: s.y, size: 10, font });
  return doc.save();
}

async function benchPdftk(input: Uint8Array, stamps: StampSpec, ours: Stats): Promise<BenchRow[]> {
  if (!existsSync(PDFTK)) return [{ name: "pdftk multistamp, 10-page PDF", value: "pdftk not installed" }];
  return withTempDir(async (dir) => {
    const inPdf = path.join(dir, "in.pdf");
    const stampPdfPath = path.join(dir, "stamp.pdf");
    await writeFile(inPdf, input);
    await writeFile(stampPdfPath, await stampOverlay(stamps));
    let n = 0;
    const result = await measure(10, () =>
      run(PDFTK, [inPdf, "multistamp", stampPdfPath, "output", path.join(dir, `out-${n++}.pdf`)]),
    );
    return [
      // Wall clock only: pdftk's CPU time is the child's, not ours.
      {
        name: "pdftk multistamp, 10-page PDF (JVM start included, 10 runs)",
        value: `p50 ${ms(result.p50)}, mean ${ms(result.mean)}, p95 ${ms(result.p95)}`,
      },
      {
        name: "pdftk / stampPdf, wall-clock per document",
        value: `${(result.p50 / ours.p50).toFixed(0)}x slower at p50, ${(result.mean / ours.mean).toFixed(0)}x on the mean`,
      },
    ];
  });
}

export async function benchStamping(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const input = await tenPagePdf();
  const stamps = stampsFor({ formType: "21-674", isChild674: true, submittedAt, isAttachment: false }); // all four stamp lines

  await measure(200, () => stampPdf(input, stamps)); // let V8 optimise pdf-lib's parser and writer first
  const stamp = await measure(200, () => stampPdf(input, stamps));
  rows.push({ name: "stampPdf, 10-page Letter PDF, every page (200 runs)", value: stats(stamp), target: "<= 20 ms" });

  // The save options the stamp uses, compared (load + stamp + save each way).
  for (const useObjectStreams of [false, true]) {
    const s = await measure(200, async () => {
      const doc = await PDFDocument.load(input, { parseSpeed: 2_000, updateMetadata: false });
      applyStamps(doc, stamps);
      return doc.save({ ...FAST_SAVE, useObjectStreams });
    });
    rows.push({ name: `  same, save({ useObjectStreams: ${useObjectStreams} })`, value: stats(s) });
  }
  const defaults = await measure(50, async () => {
    const doc = await PDFDocument.load(input);
    applyStamps(doc, stamps);
    return doc.save();
  });
  rows.push({
    name: "  same, pdf-lib default load/save options (yields every 50-100 objects)",
    value: stats(defaults),
  });

  const ctx = { claimGuid: guid, submittedAt };
  const r526 = await measure(300, () =>
    renderForm("21-526EZ", sample526(3), {
      ...ctx,
      stamps: stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: false }),
    }),
  );
  rows.push({ name: "renderForm 21-526EZ (3 disabilities), stamped", value: stats(r526) });
  const r526long = await measure(100, () => renderForm("21-526EZ", sample526(30), ctx));
  rows.push({ name: "renderForm 21-526EZ (30 disabilities, multi-page)", value: stats(r526long) });
  const r686 = await measure(300, () => renderForm("21-686C", sample686c(), ctx));
  rows.push({ name: "renderForm 21-686c", value: stats(r686) });
  const r674 = await measure(300, () => renderForm("21-674", sample674(), ctx));
  rows.push({ name: "renderForm 21-674", value: stats(r674) });

  const claim = (
    id: number,
    formType: PackageClaim["formType"],
    formData: PackageClaim["formData"],
    isGroupParent: boolean,
  ): PackageClaim => ({
    id,
    guid: `${guid.slice(0, -2)}${String(id).padStart(2, "0")}`,
    formType,
    formData,
    submittedAt,
    isGroupParent,
  });
  const evidencePdf = await renderForm("21-674", sample674(), ctx);
  const dependentsInput = (veteran = sampleVeteran) => ({
    claims: [
      claim(1, "21-686C", sample686c(veteran), true),
      claim(2, "21-674", sample674("Robin", veteran), false),
      claim(3, "21-674", sample674("Kit", veteran), false),
    ],
    attachments: [],
  });
  const packageBytes = async (veteran = sampleVeteran) => {
    const pkg = await buildClaimPackage(dependentsInput(veteran));
    return [pkg.main, ...pkg.attachments].reduce((sum, d) => sum + d.bytes.byteLength, 0);
  };
  const dependents = await measure(200, () => buildClaimPackage(dependentsInput()));
  rows.push({ name: "buildClaimPackage 686c + 2 x 674 (rendered, stamped, hashed)", value: stats(dependents) });
  rows.push({
    name: "  its three PDFs, bytes (Helvetica)",
    value: `${(await packageBytes()).toLocaleString("en-US")} B`,
  });

  // Issue #15: a name beyond Latin-1 puts the form in Noto Sans, embedded as a subset.
  const unicodeVeteran = { ...sampleVeteran, firstName: "Łukasz", lastName: "Nguyễn-Wróblewski" };
  const r526unicode = await measure(300, () =>
    renderForm("21-526EZ", sample526(3, unicodeVeteran), {
      ...ctx,
      stamps: stampsFor({ formType: "21-526EZ", isChild674: false, submittedAt, isAttachment: false }),
    }),
  );
  rows.push({ name: "renderForm 21-526EZ (3 disabilities), stamped, name beyond Latin-1", value: stats(r526unicode) });
  const dependentsUnicode = await measure(200, () => buildClaimPackage(dependentsInput(unicodeVeteran)));
  rows.push({
    name: "buildClaimPackage 686c + 2 x 674, name beyond Latin-1 (Noto Sans)",
    value: stats(dependentsUnicode),
  });
  rows.push({
    name: "  its three PDFs, bytes (Noto Sans subsets)",
    value: `${(await packageBytes(unicodeVeteran)).toLocaleString("en-US")} B`,
  });

  // Issue #14.3: the same package built in a PDF thread (heap and time limits), as the worker does.
  const pool = new PdfThreadPool({ threads: 1, maxHeapMb: 256, timeoutMs: 60_000, limits: DEFAULT_EVIDENCE_LIMITS });
  try {
    await measure(200, () => pool.run(dependentsInput())); // the thread's JIT starts cold
    const pooled = await measure(200, () => pool.run(dependentsInput()));
    rows.push({
      name: "buildClaimPackage 686c + 2 x 674 in the PDF thread pool (cpu: both threads)",
      value: stats(pooled),
    });
  } finally {
    await pool.close();
  }
  const withEvidence = await measure(200, () =>
    buildClaimPackage({
      claims: [claim(4, "21-526EZ", sample526(3), true)],
      attachments: [{ fileName: "records.pdf", contentType: "application/pdf", bytes: evidencePdf }],
    }),
  );
  rows.push({ name: "buildClaimPackage 526EZ + 1 PDF attachment", value: stats(withEvidence) });
  rows.push({
    name: "PDF work bound on throughput (one core, 686c + 2 x 674)",
    value: `~${Math.floor(1000 / dependents.cpu)} claims/s (from CPU time per package)`,
    target: ">= 50 claims/s for the whole flow",
  });

  rows.push(...(await benchPdftk(input, stamps, stamp)));
  rows.push({ name: "stamp timestamp", value: formatStampTimestamp(submittedAt) });
  return rows;
}

// `npx tsx bench/stamp.ts` prints the table on its own.
if (process.argv[1] && /bench[\\/]stamp\.ts$/.test(process.argv[1])) {
  benchStamping()
    .then((rows) => console.table(rows))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
