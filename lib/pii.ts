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
