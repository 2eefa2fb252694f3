import { createHash } from "node:crypto";
import type { PDFDocument } from "pdf-lib";
import type { FormData } from "@/db/form-data";
import { type EvidenceInput, evidenceByteLength, openEvidence } from "./attachments";
import type { FormType } from "./form-common";
import type { EvidenceLimits } from "./limits";
import { savePdf } from "./load";
import { renderFormDocument } from "./render";
import { savePdfChunks } from "./save-stream";
import { applyStamps, stampsFor } from "./stamp";
import type { StoredDocument } from "./storage";

// The files of one backup upload (docs/design.md §4, step 3): the main document, then the attachments in
// the order the multipart parts attachment1..N carry them.

export type PackageClaim = {
  id: number;
  guid: string;
  formType: FormType;
  formData: FormData | Record<string, unknown>;
  submittedAt: Date;
  /** The claim group's parent (a 526EZ or a 686c). A 674 that is not the parent is a child 674. */
  isGroupParent: boolean;
};

type DocumentFields = {
  role: "main" | "attachment";
  formType: string; // the form number, or "attachment" for an evidence file
  fileName: string;
  pageCount: number;
  sha256: string; // hex
};
export type PackageDocument = DocumentFields & { bytes: Uint8Array };
/** A document written to storage as it was saved (large evidence): never whole in memory. */
export type StoredPackageDocument = DocumentFields & { stored: StoredDocument };

/** The main form is always small enough to hold; evidence may come back already stored. */
export type ClaimPackage<Attachment = PackageDocument> = { main: PackageDocument; attachments: Attachment[] };
export type StoringClaimPackage = ClaimPackage<PackageDocument | StoredPackageDocument>;

/**
 * Where a large document's chunks go (the document storage's putStream). A chunk is the caller's
 * only until the next one is asked for (its buffer is then filled again): write it or copy it.
 */
export type StoreDocument = (chunks: AsyncIterable<Uint8Array>) => Promise<StoredDocument>;

// Evidence files from this size are saved in chunks into storage rather than into one buffer:
// a scan is then held once (as read) instead of twice. Smaller ones stay in memory, which costs
// a claim nothing (most evidence is a photo or a few pages).
export const STORE_WHILE_SAVING_BYTES = 4 * 1024 * 1024;

export type ClaimPackageInput = {
  claims: PackageClaim[];
  attachments: EvidenceInput[];
  /** Bounds on the evidence files (lib/pdf/limits.ts); the defaults when not given. */
  limits?: EvidenceLimits;
};

export class EmptyClaimPackageError extends Error {
  readonly permanent = true;
  constructor() {
    super("A backup package needs at least one claim");
    this.name = "EmptyClaimPackageError";
  }
}

/** The main form: the 526EZ, or the 686c if present, else the first 674 (vets-api's order). */
export function chooseMainClaim<T extends { formType: string }>(claims: readonly T[]): T | undefined {
  return (
    claims.find((c) => c.formType === "21-526EZ") ??
    claims.find((c) => c.formType === "21-686C") ??
    claims.find((c) => c.formType === "21-674")
  );
}

/** A file name safe in a multipart header and on any file system: `report (final).PDF` -> `report_final`. */
export function sanitizeFileName(original: string): string {
  const base = original.replace(/^.*[\\/]/, "").replace(/\.[A-Za-z0-9]{1,5}$/, "");
  const ascii = base.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const safe = ascii
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[._]+|[._]+$/g, "");
  return safe.slice(0, 80) || "file";
}

async function finish(
  doc: PDFDocument,
  meta: Omit<PackageDocument, "bytes" | "pageCount" | "sha256">,
): Promise<PackageDocument> {
  const bytes = await savePdf(doc);
  return {
    ...meta,
    bytes,
    pageCount: doc.getPageCount(),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

async function formDocument(claim: PackageClaim, role: PackageDocument["role"]): Promise<PackageDocument> {
  const { doc, font } = await renderFormDocument(claim.formType, claim.formData, {
    claimGuid: claim.guid,
    submittedAt: claim.submittedAt,
  });
  const isChild674 = claim.formType === "21-674" && !claim.isGroupParent;
  // Stamped in the same document before the one save: no save / parse / save round trip.
  applyStamps(
    doc,
    stampsFor({ formType: claim.formType, isChild674, submittedAt: claim.submittedAt, isAttachment: false }),
    font,
  );
  return finish(doc, { role, formType: claim.formType, fileName: `${claim.formType}_${claim.guid}.pdf` });
}

/**
 * Renders, converts and stamps every document of a backup upload. Throws PdfInputError
 * (permanent) when an attachment cannot be used; nothing is written anywhere.
 */
export function buildClaimPackage(input: ClaimPackageInput): Promise<ClaimPackage>;
export function buildClaimPackage(input: ClaimPackageInput, store: StoreDocument): Promise<StoringClaimPackage>;
export async function buildClaimPackage(input: ClaimPackageInput, store?: StoreDocument): Promise<StoringClaimPackage> {
  const main = chooseMainClaim(input.claims);
  if (!main) throw new EmptyClaimPackageError();
  // Remaining 674s in the order given (the group's order), after the main form.
  const child674s = input.claims.filter((c) => c !== main && c.formType === "21-674");
  const stray = input.claims.find((c) => c !== main && c.formType !== "21-674");
  // Only 674s travel with another form; anything else here is a caller bug, not a claim problem.
  if (stray)
    throw new Error(
      `Claim ${stray.id} (${stray.formType}) cannot travel in the package of claim ${main.id} (${main.formType})`,
    );

  const mainDocument = await formDocument(main, "main");
  const attachments: (PackageDocument | StoredPackageDocument)[] = [];
  for (const claim of child674s) attachments.push(await formDocument(claim, "attachment"));

  // Evidence files carry the main claim's submission time (they were submitted with it).
  const attachmentStamps = stampsFor({
    formType: main.formType,
    isChild674: false,
    submittedAt: main.submittedAt,
    isAttachment: true,
  });
  for (const file of input.attachments) {
    const { doc, close } = await openEvidence(file, input.limits);
    try {
      applyStamps(doc, attachmentStamps);
      // Numbered by position among all attachments, like the multipart parts attachment1..N.
      const n = attachments.length + 1;
      const meta = {
        role: "attachment" as const,
        formType: "attachment",
        fileName: `attachment_${n}_${sanitizeFileName(file.fileName)}.pdf`,
      };
      if (store && evidenceByteLength(file) >= STORE_WHILE_SAVING_BYTES) {
        const stored = await store(savePdfChunks(doc));
        attachments.push({ ...meta, stored, pageCount: doc.getPageCount(), sha256: stored.sha256 });
      } else attachments.push(await finish(doc, meta));
    } finally {
      close(); // a document parsed from its file reads from it until it is saved
    }
  }
  return { main: mainDocument, attachments };
}
