import { eq, type SQL, sql } from "drizzle-orm";
import { savedClaims } from "../schema";
import { isStorableText } from "../storable-text";

// The claims list's search box: what an entry can be, and the where-clause for it. Every kind is an
// index lookup; values are always bound parameters.

export type SearchKind = "claimId" | "uuid" | "last4" | "fileNumber" | "lastName" | "none";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// What a search box entry can be. Names and file numbers are PII: only PII-cleared users may search them.
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
  if (piiSearch && /\p{L}/u.test(q) && q.length <= 100) return [{ kind: "lastName", value: q.toLowerCase() }];
  return [{ kind: "none", value: q }];
}

function kindCondition(kind: SearchKind, value: string): SQL {
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
      // Matches the expression index on lower(veteran_last_name); the value is a bound parameter.
      return sql`lower(${savedClaims.veteranLastName}) = ${value}`;
    case "none":
      return sql`false`;
  }
}

export function searchCondition(q: string, piiSearch: boolean): SQL | undefined {
  const parts = classifySearch(q, piiSearch).map(({ kind, value }) => kindCondition(kind, value));
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`;
}
