import { eq, type SQL, sql } from "drizzle-orm";
import { savedClaims } from "../schema";
import { isStorableText } from "../storable-text";

// The claims list's search box: what an entry can be, and the where-clause for it. Every kind is an
// index lookup; values are always bound parameters. Names are compared through claim_search_text
// (migration 0007: lower case, accents removed with PostgreSQL's unaccent, indexed on the last
// name), so "Nunez-Test" finds "Núñez-Test".

export type SearchKind = "claimId" | "uuid" | "last4" | "fileNumber" | "lastName" | "fullName" | "email" | "none";

// What each kind matched, in the triage team's words.
export const SEARCH_KIND_LABEL: Record<Exclude<SearchKind, "none">, string> = {
  claimId: "claim id",
  uuid: "confirmation number or Benefits Intake uuid",
  last4: "last 4 of the file number",
  fileNumber: "file number",
  lastName: "last name",
  fullName: "full name",
  email: "e-mail",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// A word of a name: letters, and the marks names carry (O'Brien, Núñez-Test, St. John).
const NAME_WORD = /^[\p{L}\p{M}'’.-]+$/u;

// "Maria Núñez-Test" or "Núñez-Test, Maria": the entry as "first last", compared with the claim's
// first and last name joined by a space (one indexed expression: a lookup however common either
// name is on its own).
function fullName(q: string): string | null {
  const comma = q.split(",").map((p) => p.trim());
  const words = (comma.length === 2 && comma.every(Boolean) ? `${comma[1]} ${comma[0]}` : q).split(/\s+/);
  return words.length >= 2 && words.length <= 6 && words.every((w) => NAME_WORD.test(w)) ? words.join(" ") : null;
}

// What a search box entry can be. Names, e-mails and file numbers are PII: only PII-cleared users
// may search them.
export function classifySearch(raw: string, piiSearch: boolean): { kind: SearchKind; value: string }[] {
  const q = raw.trim().replace(/^#/, "");
  if (!q) return [];
  // No stored text can hold a NUL byte: match nothing rather than send one to PostgreSQL.
  if (!isStorableText(q)) return [{ kind: "none", value: q }];
  if (UUID.test(q)) return [{ kind: "uuid", value: q.toLowerCase() }];
  if (/^\d+$/.test(q)) {
    const kinds: { kind: SearchKind; value: string }[] = [];
    // "0042" is the end of a file number, not claim 42.
    if (q.length <= 15 && !q.startsWith("0")) kinds.push({ kind: "claimId", value: q });
    if (piiSearch && q.length === 4) kinds.push({ kind: "last4", value: q });
    if (piiSearch && q.length >= 8 && q.length <= 9) kinds.push({ kind: "fileNumber", value: q });
    return kinds.length ? kinds : [{ kind: "none", value: q }];
  }
  if (piiSearch && q.length <= 254 && EMAIL.test(q)) return [{ kind: "email", value: q.toLowerCase() }];
  if (piiSearch && /\p{L}/u.test(q) && q.length <= 100) {
    const kinds: { kind: SearchKind; value: string }[] = [{ kind: "lastName", value: q.toLowerCase() }];
    const full = fullName(q.toLowerCase());
    if (full) kinds.push({ kind: "fullName", value: full });
    return kinds;
  }
  return [{ kind: "none", value: q }];
}

const key = (value: SQL | string) => sql`claim_search_text(${value})`;

export function searchKindCondition(kind: SearchKind, value: string): SQL {
  switch (kind) {
    case "claimId":
      return eq(savedClaims.id, Number(value));
    case "uuid":
      // The confirmation number, or a Benefits Intake uuid of the main claim's attempts (a 674 is
      // found through its 686c). One id list, so each side is an index lookup, never a table scan.
      return sql`${savedClaims.id} in (
          select s.id from saved_claims s where s.guid = ${value}::uuid
          union all
          select s.id from saved_claims s where s.main_claim_id in (
            select a.claim_id from backup_attempts a where a.benefits_intake_uuid = ${value}::uuid))`;
    case "last4":
      return eq(savedClaims.fileLast4, value);
    case "fileNumber":
      return eq(savedClaims.fileNumber, value);
    case "lastName":
      // Matches the expression index on claim_search_text(veteran_last_name).
      return sql`${key(sql`${savedClaims.veteranLastName}`)} = ${key(value)}`;
    case "fullName":
      // Matches the expression index on the first and last name joined by one space.
      return sql`${key(sql`${savedClaims.veteranFirstName} || ' ' || ${savedClaims.veteranLastName}`)} = ${key(value)}`;
    case "email":
      // Matches the expression index on lower(email).
      return sql`lower(${savedClaims.email}) = ${value}`;
    case "none":
      return sql`false`;
  }
}

export function searchCondition(q: string, piiSearch: boolean): SQL | undefined {
  const parts = classifySearch(q, piiSearch).map(({ kind, value }) => searchKindCondition(kind, value));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`;
}
