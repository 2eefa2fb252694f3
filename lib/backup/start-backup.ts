import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { findOrCreateSubmission, setGroupTriage, takeInFlightSlot } from "@/db/queries/backups";
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

export async function startBackupInTransaction(tx: DbOrTx, request: Omit<BackupClaimPayload, "retryNumber">): Promise<StartOutcome> {
  const [claim] = await tx.select({ id: savedClaims.id, mainClaimId: savedClaims.mainClaimId, formType: savedClaims.formType, triageState: savedClaims.triageState }).from(savedClaims).where(eq(savedClaims.id, request.claimId));
  if (!claim) return { claimId: request.claimId, started: false, reason: "unknown_claim" };
  // A 674 travels with its 686c: the backup is the group's.
  const mainClaimId = claim.mainClaimId ?? claim.id;
  const [main] = mainClaimId === claim.id ? [claim] : await tx.select({ id: savedClaims.id, mainClaimId: savedClaims.mainClaimId, formType: savedClaims.formType, triageState: savedClaims.triageState }).from(savedClaims).where(eq(savedClaims.id, mainClaimId));
  const state = main.triageState;
  if (state === "excluded") return { claimId: mainClaimId, started: false, reason: "excluded" };
  if (state === "duplicate" && !request.force) return { claimId: mainClaimId, started: false, reason: "duplicate" };
  if ((state === "submitted" || state === "confirmed") && !request.force) return { claimId: mainClaimId, started: false, reason: "already_submitted" };

  await findOrCreateSubmission(tx, mainClaimId, main.formType);
  if (!(await takeInFlightSlot(tx, mainClaimId, request.batchId))) return { claimId: mainClaimId, started: false, reason: "already_in_flight" };
  await setGroupTriage(tx, mainClaimId, { triageState: "in_progress", ...(request.batchId ? { latestBatchId: request.batchId } : {}) });
  await enqueueBackup(tx, { ...request, claimId: mainClaimId, retryNumber: 0 });
  return { claimId: mainClaimId, started: true };
}

export async function startBackup(db: Db, request: Omit<BackupClaimPayload, "retryNumber">): Promise<StartOutcome> {
  return db.transaction((tx) => startBackupInTransaction(tx, request));
}
