import type { BatchItemRecord, BatchRecord } from "@/db/queries/batches";
import { canSeePii, type SessionUser } from "./auth/roles";

// Masking happens on the server, before data reaches a page, a CSV or an API response.
export type VeteranPii = {
  firstName: string;
  lastName: string;
  fileNumber: string;
  email: string | null;
  zipCode?: string | null;
};

export const MASK = "•••";

export function maskName(first: string, last: string) {
  return `${first.charAt(0)}. ${last.charAt(0)}.`;
}

export function maskPii<T extends VeteranPii>(user: Pick<SessionUser, "role">, pii: T): T {
  if (canSeePii(user)) return pii;
  return {
    ...pii,
    firstName: `${pii.firstName.charAt(0)}.`,
    lastName: `${pii.lastName.charAt(0)}.`,
    fileNumber: MASK,
    email: pii.email ? MASK : null,
    ...(pii.zipCode !== undefined ? { zipCode: pii.zipCode ? MASK : null } : {}),
  };
}

export function veteranLabel(user: Pick<SessionUser, "role">, pii: Pick<VeteranPii, "firstName" | "lastName">) {
  return canSeePii(user) ? `${pii.firstName} ${pii.lastName}` : maskName(pii.firstName, pii.lastName);
}

// Free text a person typed (a resubmit's or an exclusion's reason, a retry list's note) is meant for a
// ticket number, but a name can be typed as easily: viewers see that there is one, not what it says.
export function freeTextFor(user: Pick<SessionUser, "role">, text: string): string;
export function freeTextFor(user: Pick<SessionUser, "role">, text: string | null): string | null;
export function freeTextFor(user: Pick<SessionUser, "role">, text: string | null) {
  return text && !canSeePii(user) ? MASK : text;
}

// An attachment's stored name is the veteran's own file name ("attachment_2_DD214 Smith.pdf");
// viewers get its position instead. The form's own PDF is named by form and guid, no PII.
export function documentNameFor(
  user: Pick<SessionUser, "role">,
  doc: { fileName: string; role: string; position: number },
): string {
  if (canSeePii(user) || doc.role !== "attachment") return doc.fileName;
  return `attachment ${doc.position} (name hidden)`;
}

// A batch as a page hands it down: the typed reason masked, and the frozen filter's search (kept for
// the audit log, never put into words by describeFilter) not handed to a viewer's page at all.
export function maskBatch<T extends Pick<BatchRecord, "reason" | "filter">>(
  user: Pick<SessionUser, "role">,
  batch: T,
): T {
  if (canSeePii(user)) return batch;
  const filter = batch.filter && "q" in batch.filter ? { ...batch.filter, q: MASK } : batch.filter;
  return { ...batch, reason: freeTextFor(user, batch.reason), filter };
}

// A batch item as a page hands it down: the veteran to initials, the file number and the retry
// list's typed note masked.
export function maskBatchItem<
  T extends Pick<BatchItemRecord, "veteranFirstName" | "veteranLastName" | "fileNumber" | "note">,
>(user: Pick<SessionUser, "role">, item: T): T {
  if (canSeePii(user)) return item;
  const pii = maskPii(user, {
    firstName: item.veteranFirstName,
    lastName: item.veteranLastName,
    fileNumber: item.fileNumber,
    email: null,
  });
  return {
    ...item,
    veteranFirstName: pii.firstName,
    veteranLastName: pii.lastName,
    fileNumber: pii.fileNumber,
    note: freeTextFor(user, item.note),
  };
}
