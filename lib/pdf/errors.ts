// A document the backup flow cannot turn into an acceptable PDF. Retrying never helps (the bytes
// will not change), so the flow treats it as a *permanent* failure: the claim goes to a person and
// the veteran gets the failure e-mail (docs/design.md §4, step 8).

export type PdfInputErrorCode =
  | "unsupported_type" // not a PDF, JPEG or PNG
  | "unreadable" // claims to be one but cannot be parsed / decoded
  | "encrypted" // has a user or owner password: Benefits Intake rejects it (DOC103)
  | "empty" // a PDF without pages, or zero bytes
  | "page_too_large" // beyond the 78 x 101 inch page limit Benefits Intake enforces (DOC108)
  | "over_limit"; // past a bound that keeps one file from exhausting the worker (lib/pdf/limits.ts)

export class PdfInputError extends Error {
  readonly permanent = true;

  constructor(
    readonly code: PdfInputErrorCode,
    message: string,
    readonly fileName?: string,
    options?: { cause?: unknown },
  ) {
    super(fileName ? `${fileName}: ${message}` : message, options);
    this.name = "PdfInputError";
  }
}

/** instanceof can fail across bundles (Next's server build vs. the worker); the name does not. */
export function isPdfInputError(error: unknown): error is PdfInputError {
  return error instanceof PdfInputError || (error instanceof Error && error.name === "PdfInputError");
}
