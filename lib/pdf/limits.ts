// Bounds on what one evidence file may cost to turn into a PDF (issue #14.3). A file past any of
// them is refused as a permanent failure of its claim (PdfInputError "over_limit"), with the
// figure and the limit in the reason, before the work that would exhaust the worker is done.

export type EvidenceLimits = {
  /** Width x height of one image (PNG or JPEG). A 48-megapixel phone photo is 48,000,000. */
  maxImagePixels: number;
  /** Bytes a zlib stream may inflate to: a PNG's image data, a PDF's object and xref streams. */
  maxInflatedBytes: number;
  /** Pages of one evidence PDF. */
  maxPdfPages: number;
};

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = {
  maxImagePixels: 50_000_000,
  maxInflatedBytes: 256 * 1024 * 1024,
  maxPdfPages: 5_000,
};

export function evidenceLimitsFromEnv(env: {
  EVIDENCE_MAX_IMAGE_PIXELS: number;
  EVIDENCE_MAX_INFLATED_MB: number;
  EVIDENCE_MAX_PDF_PAGES: number;
}): EvidenceLimits {
  return {
    maxImagePixels: env.EVIDENCE_MAX_IMAGE_PIXELS,
    maxInflatedBytes: env.EVIDENCE_MAX_INFLATED_MB * 1024 * 1024,
    maxPdfPages: env.EVIDENCE_MAX_PDF_PAGES,
  };
}

export const describeBytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024)).toLocaleString("en-US")} MB`;
export const describePixels = (pixels: number) => `${(pixels / 1_000_000).toLocaleString("en-US")} megapixels`;
