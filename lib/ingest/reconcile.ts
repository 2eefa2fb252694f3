import type { DbOrTx } from "@/db/client";
import type { IngestClaimRow } from "@/db/queries/ingest-claims";
import {
  getReconcileTargets,
  insertReconciliations,
  markResolvedElsewhere,
  type ReconcileOutcome,
  type ReconcileTarget,
} from "@/db/queries/ingest-reconcile";

// Reconciliation (issue #12.4): a newer record shows the claim succeeded elsewhere — accepted on the
// primary path, a backup accepted, remediated by hand (classify.ts's "resolved" rules). The claim
// leaves the triage list as resolved elsewhere, with the record's rule and facts kept as evidence on
// its timeline (ingest_reconciliations). Nothing is deleted: attempts, batches and audit stay.
// What happens depends on where the claim stands with us; this is the one place that decides.

export function reconcileOutcome(claim: ReconcileTarget): ReconcileOutcome | null {
  // Already off the list for this reason: a further record changes nothing.
  if (claim.triageState === "resolved_elsewhere") return null;
  // A backup of ours is queued, running or waiting to retry: it cannot be called back safely, and
  // letting it go on silently could file the claim twice. A person decides.
  if (claim.inFlight || claim.triageState === "in_progress") return "conflict";
  // Our own upload already reached Benefits Intake: the success the source reports is most likely
  // ours (the remediation feed told it). Recorded, the claim's state left to our own outcome.
  if (claim.triageState === "submitted" || claim.triageState === "confirmed") return "noted";
  // An admin's exclusion stands; the evidence is recorded beside it.
  if (claim.triageState === "excluded" && !claim.excludedByIngest) return "noted";
  // Never tried, failed, a duplicate, or parked by ingest itself: off the triage list.
  return "resolved_elsewhere";
}

// Called for the records of a chunk that update a claim, before their rows are written (the claims'
// states are read as they were). Claims whose state ingest does not own (failed after our own
// backup) are moved here; those it owns move with the rest of their row (ingest-claims.ts).
export async function reconcileClaims(tx: DbOrTx, rows: readonly IngestClaimRow[]) {
  const resolved = rows.filter((r) => r.category === "resolved");
  if (resolved.length === 0) return;
  const targets = await getReconcileTargets(
    tx,
    resolved.map((r) => ({ claimId: r.claimId, previousParkedReason: r.previousParkedReason })),
  );
  const decided = resolved.flatMap((row) => {
    const target = targets.get(row.claimId);
    const outcome = target ? reconcileOutcome(target) : null;
    return target && outcome ? [{ row, target, outcome }] : [];
  });
  await insertReconciliations(
    tx,
    decided.map(({ row, target, outcome }) => ({
      claimId: row.claimId,
      sourceSystem: row.sourceSystem,
      sourceId: row.sourceId,
      outcome,
      rule: row.rule,
      facts: row.facts,
      stateBefore: target.triageState,
    })),
  );
  await markResolvedElsewhere(
    tx,
    decided.filter((d) => d.outcome === "resolved_elsewhere").map((d) => d.row.claimId),
  );
}
