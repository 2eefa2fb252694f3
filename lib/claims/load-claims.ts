import "server-only";
import type { Db } from "@/db/client";
import {
  type ClaimsCount,
  type ClaimsFilter,
  claimsWhere,
  countClaims,
  getClaimsPage,
  getFailureReasonCounts,
} from "@/db/queries/claims-list";
import { canSeePii, type SessionUser } from "../auth/roles";
import { type ClaimRow, toClaimRow } from "./claim-rows";
import { withoutReason } from "./filters";
import type { ClaimsSearch } from "./search-params";

// The claims list's data access: the where-clause is built for the user's role (only PII-cleared
// users can search names and file numbers), and rows are masked before they leave the server.

export type LoadedClaimsPage = {
  rows: ClaimRow[];
  total: ClaimsCount;
  pageIndex: number;
  seekKeys: { first?: string; last?: string };
};

export async function loadClaimsPage(db: Db, user: SessionUser, search: ClaimsSearch): Promise<LoadedClaimsPage> {
  const where = claimsWhere(search.filter, { piiSearch: canSeePii(user) });
  const [page, total] = await Promise.all([getClaimsPage(db, { where, ...search.table }), countClaims(db, where)]);
  return {
    rows: page.records.map((r) => toClaimRow(user, r)),
    total,
    pageIndex: page.pageIndex,
    seekKeys: { first: page.firstKey, last: page.lastKey },
  };
}

// Counts per failure fingerprint under every other filter, so picking a reason shows its share.
export async function loadFailureReasons(db: Db, user: SessionUser, filter: ClaimsFilter) {
  return getFailureReasonCounts(db, claimsWhere(withoutReason(filter), { piiSearch: canSeePii(user) }));
}
