import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { findOrCreateSubmission, releaseInFlightSlot, setGroupTriage, takeInFlightSlot } from "@/db/queries/backups";
import { savedClaims } from "@/db/schema";
import { enqueueBackup, type BackupClaimPayload } from "../jobs/queues";

// The one door into the backup flow. Whoever asks (a triager, a batch, an import), a claim gets at
// most one backup in flight: taking the in-flight slot and enqueueing the job happen in one
// transaction, so two callers racing for the same claim produce one job and one "skipped".

export type SkipReason = "already_in_flight" | "already_submitted" | "excluded" | "duplicate" | "unknown_claim";
export type StartOutcome = { claimId: number; started: true } | { claimId: number; started: false; reason: SkipReason };

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  already_in_flight: "a backup is already queued or running for this claim",
  already_submitted: "already submitted or confirmed in VBMS (resubmit with force to send again)",
  excluded: "excluded by an admin",
  duplicate: "a duplicate of another claim of the same veteran",
  unknown_claim: "no such claim",
};

type ClaimState = { id: number; mainClaimId: number | null; formType: (typeof savedClaims.$inferSelect)["formType"]; triageState: (typeof savedClaims.$inferSelect)["triageState"] };

async function readClaim(tx: DbOrTx, id: number): Promise<ClaimState | undefined> {
  const [claim] = await tx.select({ id: savedClaims.id, mainClaimId: savedClaims.mainClaimId, formType: savedClaims.formType, triageState: savedClaims.triageState }).from(savedClaims).where(eq(savedClaims.id, id));
  return claim;
}

function refusal(state: ClaimState["triageState"], force: boolean): SkipReason | null {
  if (state === "excluded") return "excluded";
  if (state === "duplicate" && !force) return "duplicate";
  if ((state === "submitted" || state === "confirmed") && !force) return "already_submitted";
  return null;
}

export async function startBackupInTransaction(tx: DbOrTx, request: Omit<BackupClaimPayload, "retryNumber">): Promise<StartOutcome> {
  const claim = await readClaim(tx, request.claimId);
  if (!claim) return { claimId: request.claimId, started: false, reason: "unknown_claim" };
  // A 674 travels with its 686c: the backup is the group's.
  const mainClaimId = claim.mainClaimId ?? claim.id;
  const main = mainClaimId === claim.id ? claim : (await readClaim(tx, mainClaimId))!;
  const early = refusal(main.triageState, request.force);
  if (early) return { claimId: mainClaimId, started: false, reason: early };

  await findOrCreateSubmission(tx, mainClaimId, main.formType);
  if (!(await takeInFlightSlot(tx, mainClaimId, request.batchId))) return { claimId: mainClaimId, started: false, reason: "already_in_flight" };
  // Read again now that the slot is ours: a run that finished while we were deciding committed its
  // outcome before it let go of the slot, and this fresh read sees it.
  const late = refusal((await readClaim(tx, mainClaimId))!.triageState, request.force);
  if (late) {
    await releaseInFlightSlot(tx, mainClaimId);
    return { claimId: mainClaimId, started: false, reason: late };
  }
  await setGroupTriage(tx, mainClaimId, { triageState: "in_progress", ...(request.batchId ? { latestBatchId: request.batchId } : {}) });
  await enqueueBackup(tx, { ...request, claimId: mainClaimId, retryNumber: 0 });
  return { claimId: mainClaimId, started: true };
}

export async function startBackup(db: Db, request: Omit<BackupClaimPayload, "retryNumber">): Promise<StartOutcome> {
  return db.transaction((tx) => startBackupInTransaction(tx, request));
}
