import "server-only";
import type { Db } from "@/db/client";
import { getClaimDetail } from "@/db/queries/claim-detail";
import { getClaimSource } from "@/db/queries/ingest-claim-source";
import { getClaimReconciliations } from "@/db/queries/ingest-reconcile";
import { canSeePii, type SessionUser } from "../auth/roles";
import { documentNameFor, freeTextFor, MASK, maskPii } from "../pii";

// The claim page's data, with PII masked on the server for viewers: names to initials, file
// number, e-mail, zip, e-mail recipients and the raw primary-path message hidden; attachment names
// (the veteran's own file names, also quoted by a PDF failure's message) and typed reasons masked.

// A PdfInputError's message starts with the attachment's file name (lib/pdf/errors.ts).
const NAMES_A_FILE = new Set(["PdfGenerationError"]);

export async function loadClaimDetail(db: Db, user: SessionUser, claimId: number) {
  const detail = await getClaimDetail(db, claimId);
  if (!detail) return null;
  const { claim, mainClaimId } = detail;
  // Why the claim is on the list (its source record's rule and facts) and what later records
  // showed for it or the claim that carries it. No PII in either: statuses, ids, ages, flags.
  const [source, reconciliations] = await Promise.all([
    getClaimSource(db, claim.id),
    getClaimReconciliations(db, claim.id === mainClaimId ? [claim.id] : [claim.id, mainClaimId]),
  ]);
  const pii = maskPii(user, {
    firstName: claim.veteranFirstName,
    lastName: claim.veteranLastName,
    fileNumber: claim.fileNumber,
    email: claim.email,
    zipCode: claim.zipCode,
  });
  const seesPii = canSeePii(user);
  return {
    ...detail,
    source,
    reconciliations,
    claim: {
      ...claim,
      veteranFirstName: pii.firstName,
      veteranLastName: pii.lastName,
      fileNumber: pii.fileNumber,
      email: pii.email,
      zipCode: pii.zipCode ?? null,
      excludedReason: freeTextFor(user, claim.excludedReason),
    },
    attempts: seesPii
      ? detail.attempts
      : detail.attempts.map((a) => ({
          ...a,
          errorMessage: a.errorMessage && a.errorClass && NAMES_A_FILE.has(a.errorClass) ? MASK : a.errorMessage,
        })),
    documents: detail.documents.map((d) => ({ ...d, fileName: documentNameFor(user, d) })),
    notifications: detail.notifications.map((n) => ({ ...n, recipient: seesPii ? n.recipient : MASK })),
    // Raw primary-path messages carry participant ids and addresses; viewers get the grouped fingerprint.
    primary:
      detail.primary && !seesPii
        ? { ...detail.primary, errorMessage: detail.primary.errorMessage ? MASK : null }
        : detail.primary,
  };
}

export type ClaimDetail = NonNullable<Awaited<ReturnType<typeof loadClaimDetail>>>;
