import "server-only";
import { and } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  type ClaimsCount,
  type ClaimsFilter,
  claimsWhere,
  countClaims,
  getClaimsPage,
  getFailureReasonCounts,
} from "@/db/queries/claims-list";
import { classifySearch, SEARCH_KIND_LABEL, type SearchKind, searchKindCondition } from "@/db/queries/claims-search";
import { canSeePii, type SessionUser } from "../auth/roles";
import { type ClaimRow, toClaimRow } from "./claim-rows";
import { withoutReason } from "./filters";
import type { ClaimsSearch } from "./search-params";

// The claims list's data access: the where-clause is built for the user's role (only PII-cleared
// users can search names and file numbers), and rows are masked before they leave the server.

export type SearchMatch = { kind: SearchKind; label: string; count: ClaimsCount };

export type LoadedClaimsPage = {
  rows: ClaimRow[];
  total: ClaimsCount;
  pageIndex: number;
  seekKeys: { first?: string; last?: string };
  // When the search can mean more than one thing ("4821": a claim id or the last 4 of a file
  // number), how many claims each meaning matched.
  searchMatches: SearchMatch[];
};

export async function loadClaimsPage(db: Db, user: SessionUser, search: ClaimsSearch): Promise<LoadedClaimsPage> {
  const piiSearch = canSeePii(user);
  const where = claimsWhere(search.filter, { piiSearch });
  const kinds = search.filter.q ? classifySearch(search.filter.q, piiSearch).filter((k) => k.kind !== "none") : [];
  const [page, total, searchMatches] = await Promise.all([
    getClaimsPage(db, { where, ...search.table }),
    countClaims(db, where),
    kinds.length > 1 ? countSearchMatches(db, search.filter, piiSearch, kinds) : [],
  ]);
  const claimId = kinds.find((k) => k.kind === "claimId");
  const other = kinds.find((k) => k.kind !== "claimId");
  return {
    rows: page.records.map((r) => {
      const row = toClaimRow(user, r);
      // A number that is both a claim id and (the end of) a file number: say which each row matched.
      if (claimId && other)
        row.matchedOn = String(r.id) === claimId.value ? "claim id" : SEARCH_KIND_LABEL[other.kind as "last4"];
      return row;
    }),
    total,
    pageIndex: page.pageIndex,
    seekKeys: { first: page.firstKey, last: page.lastKey },
    searchMatches,
  };
}

async function countSearchMatches(
  db: Db,
  filter: ClaimsFilter,
  piiSearch: boolean,
  kinds: { kind: SearchKind; value: string }[],
): Promise<SearchMatch[]> {
  const others = claimsWhere({ ...filter, q: undefined }, { piiSearch });
  return Promise.all(
    kinds.map(async ({ kind, value }) => ({
      kind,
      label: SEARCH_KIND_LABEL[kind as Exclude<SearchKind, "none">],
      count: await countClaims(db, and(others, searchKindCondition(kind, value))!),
    })),
  );
}

// Counts per failure fingerprint under every other filter, so picking a reason shows its share.
export async function loadFailureReasons(db: Db, user: SessionUser, filter: ClaimsFilter) {
  return getFailureReasonCounts(db, claimsWhere(withoutReason(filter), { piiSearch: canSeePii(user) }));
}
