import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { setClaimExclusion } from "../claims/exclusion";

// Excludes a failure group's claims through the one exclusion path (lib/claims/exclusion.ts), claim
// group by claim group, so each keeps its own refusal rules and audit row; the group's summary is
// audited too. Only claims waiting for a person (never tried or failed) are taken: the rest are
// confirmed, in flight, or already parked. A very large group is done in runs of MAX_PER_RUN.

export const MAX_PER_RUN = 1_000;

// The main claims an exclusion of the group would park (a 674's exclusion is its 686c's).
async function excludableMainClaims(db: Db, fingerprint: string, limit: number): Promise<number[]> {
  const rows = await db.execute<{ id: number }>(sql`
    select distinct coalesce(main_claim_id, id) as id from saved_claims
    where failure_reason = ${fingerprint} and triage_state in ('never_tried', 'failed')
    order by 1 limit ${limit}`);
  return rows.map((r) => Number(r.id));
}

export async function countExcludable(db: Db, fingerprint: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(distinct coalesce(main_claim_id, id))::int as n from saved_claims
    where failure_reason = ${fingerprint} and triage_state in ('never_tried', 'failed')`);
  return Number(row?.n ?? 0);
}

export type GroupExclusionResult = { excluded: number; refused: number; remaining: number };

export async function excludeFailureGroup(
  db: Db,
  input: {
    fingerprint: string;
    reason: string;
    user: { id: number; email: string };
    origin: { ip: string | null; userAgent: string | null };
  },
): Promise<GroupExclusionResult> {
  const ids = await excludableMainClaims(db, input.fingerprint, MAX_PER_RUN);
  const excluded: number[] = [];
  const refusals: string[] = [];
  for (const claimId of ids) {
    const result = await setClaimExclusion(db, {
      claimId,
      exclude: true,
      reason: input.reason,
      user: input.user,
      origin: input.origin,
    });
    if (result.ok) excluded.push(result.mainClaimId);
    else refusals.push(result.error);
  }
  const remaining = await countExcludable(db, input.fingerprint);
  await recordAudit(db, {
    user: input.user,
    action: "group.exclude",
    claimIds: excluded,
    reason: input.reason,
    details: { fingerprint: input.fingerprint, refused: refusals.length, remaining, refusals: refusals.slice(0, 5) },
    ...input.origin,
  });
  return { excluded: excluded.length, refused: refusals.length, remaining };
}
