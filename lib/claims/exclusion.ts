import { eq, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { backupSubmissions, savedClaims } from "@/db/schema";
import type { TriageState } from "@/db/schema/enums";

// Park, don't delete (docs/design.md §6a): an admin excludes a claim with a reason and can bring it back;
// its history stays. A 674's backup is its 686c's, so exclusion always acts on the whole group.

export type ExclusionInput = {
  claimId: number;
  exclude: boolean;
  reason: string;
  user: { id: number; email: string };
  origin?: { ip: string | null; userAgent: string | null };
};

export type ExclusionResult =
  | { ok: true; mainClaimId: number; triageState: TriageState }
  | { ok: false; error: string };

// Where an un-excluded claim goes back to: what its history says it was.
function restoredState(main: { duplicateOf: number | null; attemptCount: number }): TriageState {
  if (main.duplicateOf !== null) return "duplicate";
  return main.attemptCount > 0 ? "failed" : "never_tried";
}

const NOT_EXCLUDABLE: Partial<Record<TriageState, string>> = {
  in_progress: "a backup is queued or running for this claim; wait for it to end before excluding it",
  submitted: "it is uploaded to Benefits Intake and waiting for its end state",
  confirmed: "it is already confirmed in VBMS",
  excluded: "it is already excluded",
};

export async function setClaimExclusion(db: Db, input: ExclusionInput): Promise<ExclusionResult> {
  return db.transaction(async (tx) => {
    const [claim] = await tx
      .select({ id: savedClaims.id, mainClaimId: savedClaims.mainClaimId })
      .from(savedClaims)
      .where(eq(savedClaims.id, input.claimId));
    if (!claim) return { ok: false, error: "No such claim." };
    const mainClaimId = claim.mainClaimId ?? claim.id;
    // Lock the main claim and its backup slot so a backup cannot start between the check and the update.
    const [main] = await tx
      .select({
        triageState: savedClaims.triageState,
        duplicateOf: savedClaims.duplicateOf,
        attemptCount: savedClaims.attemptCount,
      })
      .from(savedClaims)
      .where(eq(savedClaims.id, mainClaimId))
      .for("update");
    const [slot] = await tx
      .select({ inFlightSince: backupSubmissions.inFlightSince })
      .from(backupSubmissions)
      .where(eq(backupSubmissions.claimId, mainClaimId))
      .for("update");

    let next: TriageState;
    if (input.exclude) {
      if (slot?.inFlightSince)
        return { ok: false, error: `Claim ${mainClaimId} cannot be excluded: ${NOT_EXCLUDABLE.in_progress}.` };
      const refusal = NOT_EXCLUDABLE[main.triageState];
      if (refusal) return { ok: false, error: `Claim ${mainClaimId} cannot be excluded: ${refusal}.` };
      next = "excluded";
    } else {
      if (main.triageState !== "excluded") return { ok: false, error: `Claim ${mainClaimId} is not excluded.` };
      next = restoredState(main);
    }

    await tx
      .update(savedClaims)
      .set({ triageState: next, excludedReason: input.exclude ? input.reason : null, updatedAt: sql`now()` })
      .where(or(eq(savedClaims.mainClaimId, mainClaimId), eq(savedClaims.id, mainClaimId)));
    await recordAudit(tx, {
      user: input.user,
      action: input.exclude ? "claim.exclude" : "claim.unexclude",
      claimIds: [mainClaimId],
      reason: input.reason,
      details: { requestedClaimId: input.claimId, from: main.triageState, to: next },
      ...input.origin,
    });
    return { ok: true, mainClaimId, triageState: next };
  });
}
