import { recordAudit } from "@/db/queries/audit";
import { claimsWhere, countClaims } from "@/db/queries/claims-list";
import { requestOrigin } from "@/lib/actions/define-action";
import { canSeePii } from "@/lib/auth/roles";
import { requireApiUser } from "@/lib/auth/session";
import { CLAIMS_CSV_HEADER, claimsCsvPages } from "@/lib/claims/export";
import { parseClaimsFilter } from "@/lib/claims/search-params";
import { csvResponse } from "@/lib/csv";
import { getDb } from "@/lib/db";

// GET /api/claims/export?<the list's filter keys>: the current view as CSV, streamed. Viewers may
// export too (leadership reports) and get names masked; every export is audited.
export async function GET(request: Request) {
  const user = await requireApiUser("viewer");
  if (user instanceof Response) return user;
  const filter = parseClaimsFilter(new URL(request.url).searchParams);
  const piiSearch = canSeePii(user);
  const where = claimsWhere(filter, { piiSearch });
  const db = getDb();
  const total = await countClaims(db, where);
  await recordAudit(db, {
    user,
    action: "claims.export",
    claimCount: total.count,
    details: { filter, countExact: total.exact, masked: !piiSearch },
    ...(await requestOrigin()),
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return csvResponse(`claims-${stamp}.csv`, CLAIMS_CSV_HEADER, claimsCsvPages(db, where, user));
}
