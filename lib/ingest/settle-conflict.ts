import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { markResolvedElsewhere } from "@/db/queries/ingest-reconcile";
import type { SessionUser } from "../auth/roles";

// A person settles a conflict (lib/ingest/reconcile.ts): the source showed the claim resolved
// elsewhere while a backup of ours was queued or running. Either our backup stands (the claim keeps
// our outcome), or the claim is resolved elsewhere after all — only once no backup of ours is in
// flight, so a running upload is never left without its claim. Audited; nothing is deleted.

export type ConflictDecision = "keep_ours" | "resolved_elsewhere";
export type SettleResult = { ok: true; settled: number } | { ok: false; error: string };

export async function settleConflict(
  db: Db,
  input: {
    claimId: number;
    decision: ConflictDecision;
    reason: string;
    user: SessionUser;
    origin: { ip: string | null; userAgent: string | null };
  },
): Promise<SettleResult> {
  return db.transaction(async (tx) => {
    const [claim] = Array.from(
      await tx.execute<{ main_id: string; in_flight: boolean }>(sql`
        select m.id as main_id, bs.in_flight_since is not null as in_flight
        from saved_claims c join saved_claims m on m.id = coalesce(c.main_claim_id, c.id)
          left join backup_submissions bs on bs.claim_id = m.id
        where c.id = ${input.claimId}
        for update of m`),
    );
    if (!claim) return { ok: false, error: `No claim ${input.claimId}.` };
    const mainId = Number(claim.main_id);
    const open = Array.from(
      await tx.execute<{ id: string; claim_id: string }>(sql`
        select id, claim_id from ingest_reconciliations
        where claim_id in (${input.claimId}, ${mainId}) and outcome = 'conflict' and settled_at is null
        for update`),
    );
    if (open.length === 0) return { ok: false, error: `Claim ${input.claimId} has no open conflict.` };
    if (input.decision === "resolved_elsewhere") {
      if (claim.in_flight)
        return {
          ok: false,
          error: "A backup of ours is still queued or running for this claim; wait for it to end, then settle.",
        };
      await markResolvedElsewhere(tx, [mainId]);
    }
    await tx.execute(sql`update ingest_reconciliations set settled_at = now()
      where id = any(${sql.param(open.map((o) => o.id))}::bigint[])`);
    await recordAudit(tx, {
      user: input.user,
      action: "claim.conflict_settle",
      claimIds: [input.claimId],
      reason: input.reason,
      details: { decision: input.decision, mainClaimId: mainId, reconciliations: open.map((o) => Number(o.id)) },
      ...input.origin,
    });
    return { ok: true, settled: open.length };
  });
}
