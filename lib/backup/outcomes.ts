import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { setBatchItemState } from "@/db/queries/batch-items";
import { releaseInFlightSlot, setGroupTriage } from "@/db/queries/backups";
import { incrementCounter } from "@/db/queries/metrics";
import { backupAttempts, claimGroups, savedClaims } from "@/db/schema";
import { enqueueBackup, type BackupClaimPayload } from "../jobs/queues";
import { log } from "../log";
import { queueEmail } from "../notify/outbox";
import { retriesExhausted, retryDelaySeconds } from "./retry-schedule";

// How an attempt ends. Each outcome is one transaction: the attempt, the claims' triage state, the
// batch item, the e-mail in the outbox, the counters and any retry job commit together or not at all.

export type AttemptFailure = {
  kind: "transient" | "permanent";
  errorClass: string;
  message: string;
  code?: string;
  httpStatus?: number;
  retryAfterMs?: number;
};

type Context = { db: Db; payload: BackupClaimPayload; attemptId: number; maxRetries: number; retryTimeFactor: number };

export async function recordSubmitted(ctx: Context) {
  const { db, payload, attemptId } = ctx;
  await db.transaction(async (tx) => {
    await tx.update(backupAttempts).set({ status: "submitted", submittedAt: sql`now()`, finishedAt: sql`now()` }).where(eq(backupAttempts.id, attemptId));
    await releaseInFlightSlot(tx, payload.claimId, "submitted");
    await setGroupTriage(tx, payload.claimId, { triageState: "submitted", blackHole: false, latestAttemptStatus: "submitted" });
    // A successful backup overwrites the group's earlier failure (seed 004).
    const [claim] = await tx.select({ groupId: savedClaims.groupId, formType: savedClaims.formType }).from(savedClaims).where(eq(savedClaims.id, payload.claimId));
    await tx.update(claimGroups).set({ status: "processing", updatedAt: sql`now()` }).where(eq(claimGroups.id, claim.groupId));
    await setBatchItemState(tx, payload.batchId, payload.claimId, "submitted", { attemptId, message: null });
    await queueEmail(tx, { claimId: payload.claimId, attemptId, template: "backup_in_progress" });
    await incrementCounter(tx, "claim_triage_backup_attempts_total", { outcome: "submitted", form_type: claim.formType });
  });
  log.info({ claimId: payload.claimId, attemptId }, "backup submitted");
}

export async function recordFailure(ctx: Context, failure: AttemptFailure) {
  const { db, payload, attemptId } = ctx;
  const exhausted = failure.kind === "transient" && retriesExhausted(payload.retryNumber, ctx.maxRetries);
  const final = failure.kind === "permanent" || exhausted;
  await db.transaction(async (tx) => {
    await tx
      .update(backupAttempts)
      .set({
        status: "failure",
        transient: failure.kind === "transient",
        errorClass: failure.errorClass,
        errorCode: failure.code ?? null,
        errorMessage: exhausted ? `${failure.message} (retries exhausted after ${payload.retryNumber})` : failure.message,
        httpStatus: failure.httpStatus ?? null,
        finishedAt: sql`now()`,
      })
      .where(eq(backupAttempts.id, attemptId));
    const [claim] = await tx.select({ formType: savedClaims.formType, submittedAt: savedClaims.submittedAt }).from(savedClaims).where(eq(savedClaims.id, payload.claimId));
    await incrementCounter(tx, "claim_triage_backup_attempts_total", { outcome: final ? "failed_permanent" : "failed_transient", form_type: claim.formType });

    if (!final) {
      // Still ours: the slot stays taken while the retry waits, so nobody else starts one.
      const delay = Math.max(retryDelaySeconds(payload.retryNumber, { timeFactor: ctx.retryTimeFactor }), (failure.retryAfterMs ?? 0) / 1000);
      await enqueueBackup(tx, { ...payload, trigger: "retry", retryNumber: payload.retryNumber + 1 }, delay);
      await setGroupTriage(tx, payload.claimId, { latestAttemptStatus: "failure" });
      await incrementCounter(tx, "claim_triage_backup_retries_total");
      return;
    }

    await releaseInFlightSlot(tx, payload.claimId, "failure");
    await setGroupTriage(tx, payload.claimId, { triageState: "failed", latestAttemptStatus: "failure" });
    await setBatchItemState(tx, payload.batchId, payload.claimId, "failed", { attemptId, message: failure.message.slice(0, 500) });
    // The veteran hears about it: the failure e-mail is what turns a silent failure into a known one.
    const forms = await tx.select({ formType: savedClaims.formType }).from(savedClaims).where(eq(savedClaims.mainClaimId, payload.claimId));
    const emailId = await queueEmail(tx, { claimId: payload.claimId, attemptId, template: "backup_failed", failedAt: new Date(), formsSubmitted: forms.map((f) => f.formType) });
    if (emailId) await incrementCounter(tx, "claim_triage_silent_failures_avoided_total", { form_type: claim.formType });
    else await incrementCounter(tx, "claim_triage_failures_without_email_total", { form_type: claim.formType });
  });
  log.warn({ claimId: payload.claimId, attemptId, kind: failure.kind, code: failure.code, httpStatus: failure.httpStatus, final }, "backup attempt failed");
}
