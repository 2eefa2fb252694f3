import {
  beginText,
  endText,
  PDFArray,
  PDFContentStream,
  PDFDict,
  type PDFDocument,
  type PDFFont,
  PDFName,
  type PDFOperator,
  type PDFPage,
  type PDFRef,
  PDFStream,
  popGraphicsState,
  pushGraphicsState,
  rotateAndSkewTextDegreesAndTranslate,
  StandardFonts,
  setFillingGrayscaleColor,
  setFontAndSize,
  showText,
} from "pdf-lib";
import type { FormType } from "./form-common";
import { formatStampTimestamp } from "./format";
import { loadPdf, savePdf } from "./load";
import { sanitizeWinAnsi, TextMeasure } from "./text";

// The reference stamps the existing VA.gov jobs apply (docs/design.md §4): Helvetica 10, positions in PDF
// points from the bottom-left of a Letter page.
//
// The backup-flow issue's text also says the VA.GOV date stamp goes at the "top of page". The
// reference positions in docs/design.md §4 win (they are what the existing VA.gov jobs print, and what
// the tests check): VA.GOV at (5, 5), the bottom-left corner of every page.

export const STAMP_FONT_SIZE = 10;
const REFERENCE_HEIGHT = 792; // the Letter page the reference positions were measured on
const EDGE = 5; // a stamp is never placed closer than this to a page edge

/**
 * One line of stamp text. `x`, `y` are the reference position on a Letter page. On a page of
 * another size, `anchor: "bottom"` keeps (x, y) from the bottom-left corner and `anchor: "top"`
 * keeps the same distance from the top edge (792 - y), so a top stamp stays at the top.
 */
export type StampText = { text: string; x: number; y: number; anchor: "bottom" | "top" };
export type StampSpec = readonly StampText[];

export const VA_GOV_STAMP = { x: 5, y: 5 } as const;
export const FDC_STAMP = { text: "FDC Reviewed - VA.gov Submission", x: 400, y: 770 } as const;
export const SUBMITTED_STAMP = { text: "Application Submitted on va.gov", x: 400, y: 675, lineGap: 12 } as const;

/** The stamps a document gets in the backup flow. */
export function stampsFor(opts: {
  formType: FormType | string;
  isChild674: boolean;
  submittedAt: Date;
  isAttachment: boolean;
}): StampSpec {
  const timestamp = formatStampTimestamp(opts.submittedAt);
  const stamps: StampText[] = [{ text: `VA.GOV ${timestamp}`, ...VA_GOV_STAMP, anchor: "bottom" }];
  // Persistent attachments (evidence files) get the VA.GOV stamp only: docs/design.md §4 puts the FDC
  // stamp on the dependents *forms*. (vets-api's dependents job also FDC-stamps attachments.)
  if (opts.isAttachment) return stamps;
  if (opts.formType === "21-686C" || opts.formType === "21-674") {
    stamps.push({ text: FDC_STAMP.text, x: FDC_STAMP.x, y: FDC_STAMP.y, anchor: "top" });
  }
  if (opts.formType === "21-674" && opts.isChild674) {
    const { text, x, y, lineGap } = SUBMITTED_STAMP;
    stamps.push({ text, x, y, anchor: "top" }, { text: timestamp, x, y: y - lineGap, anchor: "top" });
  }
  return stamps;
}

// A resource name of our own: every stamped page maps it to the same font, so pages of the same
// geometry can share one content stream.
const FONT_KEY = PDFName.of("VAStampHelv");

type Placement = { x: number; y: number; angle: number };

/**
 * Where a stamp goes in the page's user space. Positions are meant as the reader sees the page,
 * so a page with /Rotate gets its stamp in the visible bottom-left (or top) corner, turned to
 * read upright.
 */
function place(stamp: StampText, width: number, box: Box, rotation: number): Placement {
  const sideways = rotation === 90 || rotation === 270;
  const viewW = sideways ? box.height : box.width;
  const viewH = sideways ? box.width : box.height;
  // Narrow pages: pull the text left so it ends inside the page instead of running off it.
  const dx = Math.max(EDGE, Math.min(stamp.x, viewW - width - EDGE));
  const wanted = stamp.anchor === "top" ? viewH - (REFERENCE_HEIGHT - stamp.y) : stamp.y;
  const dy = Math.max(EDGE, Math.min(wanted, viewH - STAMP_FONT_SIZE - EDGE));
  switch (rotation) {
    case 90:
      return { x: box.x + box.width - dy, y: box.y + dx, angle: 90 };
    case 180:
      return { x: box.x + box.width - dx, y: box.y + box.height - dy, angle: 180 };
    case 270:
      return { x: box.x + dy, y: box.y + box.height - dx, angle: 270 };
    default:
      return { x: box.x + dx, y: box.y + dy, angle: 0 };
  }
}

type Box = { x: number; y: number; width: number; height: number };

function stampOperators(stamps: StampSpec, font: PDFFont, box: Box, rotation: number): PDFOperator[] {
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    setFillingGrayscaleColor(0),
    beginText(),
    setFontAndSize(FONT_KEY, STAMP_FONT_SIZE),
  ];
  for (const stamp of stamps) {
    const text = sanitizeWinAnsi(stamp.text);
    // Unkerned, like Tj draws it (pdf-lib's widthOfTextAtSize kerns and comes out ~2 pt short).
    const at = place(stamp, new TextMeasure(font).width(text, STAMP_FONT_SIZE), box, rotation);
    ops.push(rotateAndSkewTextDegreesAndTranslate(at.angle, 0, 0, at.x, at.y), showText(font.encodeText(text)));
  }
  ops.push(endText(), popGraphicsState());
  return ops;
}

/**
 * Adds the stamp stream to a page after its own content, which is wrapped in q ... Q so that
 * whatever graphics state the page leaves behind (a stray cm, a colour) cannot move or hide the
 * stamp. Done by hand rather than with pdf-lib's page.node.normalize(): that deflates two new q/Q
 * streams with pako per document and adds empty Annots/XObject/ExtGState entries to every page,
 * which was the larger part of stamping time.
 */
function attachStream(
  doc: PDFDocument,
  page: PDFPage,
  wrap: { q: PDFRef; Q: PDFRef },
  stampRef: PDFRef,
  fontRef: PDFRef,
): void {
  const { context } = doc;
  const node = page.node;
  const current = node.get(PDFName.Contents);
  const existing = context.lookup(current);
  const contents = context.obj([]) as PDFArray;
  if (existing instanceof PDFArray) {
    contents.push(wrap.q);
    for (let i = 0; i < existing.size(); i++) contents.push(existing.get(i));
    contents.push(wrap.Q);
  } else if (existing instanceof PDFStream && current) {
    contents.push(wrap.q);
    contents.push(current);
    contents.push(wrap.Q);
  }
  contents.push(stampRef);
  node.set(PDFName.Contents, contents);

  // Resources may be inherited from the page tree; adding our font to a shared dictionary is
  // harmless (every page gets the same Helvetica under the same name).
  let resources = context.lookupMaybe(node.getInheritableAttribute(PDFName.Resources), PDFDict);
  if (!resources) {
    resources = context.obj({});
    node.set(PDFName.Resources, resources);
  }
  let fonts = context.lookupMaybe(resources.get(PDFName.Font), PDFDict);
  if (!fonts) {
    fonts = context.obj({});
    resources.set(PDFName.Font, fonts);
  }
  fonts.set(FONT_KEY, fontRef);
}

/**
 * Stamps every page of an open document in place. Pass the document's Helvetica if it already
 * has one, to avoid a second font object.
 */
export function applyStamps(doc: PDFDocument, stamps: StampSpec, font?: PDFFont): void {
  if (stamps.length === 0) return;
  const helvetica = font ?? doc.embedStandardFont(StandardFonts.Helvetica);
  const { context } = doc;
  // Tiny streams: deflating them would cost more time than it saves bytes.
  const wrap = { q: context.register(context.stream("q\n")), Q: context.register(context.stream("\nQ\n")) };
  // One stamp stream per distinct page geometry (a single one for a rendered form), written
  // once and referenced from each page.
  const streams = new Map<string, PDFRef>();
  for (const page of doc.getPages()) {
    const rotation = ((page.getRotation().angle % 360) + 360) % 360;
    const box = page.getCropBox();
    const key = `${box.x},${box.y},${box.width},${box.height},${rotation}`;
    let ref = streams.get(key);
    if (!ref) {
      ref = context.register(
        PDFContentStream.of(context.obj({}), stampOperators(stamps, helvetica, box, rotation), false),
      );
      streams.set(key, ref);
    }
    attachStream(doc, page, wrap, ref, helvetica.ref);
  }
}

/** Stamps every page of a PDF and returns the new bytes. Pure: the input is not modified. */
export async function stampPdf(bytes: Uint8Array, stamps: StampSpec): Promise<Uint8Array> {
  const doc = await loadPdf(bytes);
  applyStamps(doc, stamps);
  return savePdf(doc);
}
