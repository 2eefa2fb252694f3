import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { getBackupGroup, releaseInFlightSlot, setGroupTriage } from "@/db/queries/backups";
import { setBatchItemState } from "@/db/queries/batch-items";
import { incrementCounter } from "@/db/queries/metrics";
import { backupAttempts, claimGroups } from "@/db/schema";
import type { AttemptStatus } from "@/db/schema/enums";
import { type BackupClaimPayload, enqueueBackup } from "../jobs/backup-claim";
import { log } from "../log";
import { type EmailClaim, queueEmail } from "../notify/outbox";
import { retriesExhausted, retryDelaySeconds } from "./retry-schedule";

// How an attempt ends. Each outcome is one transaction: the attempt, the claims' triage state, the
// batch item, the e-mail in the outbox, the counters and any retry job commit together or not at
// all. The statements of an outcome do not depend on each other, so they are sent together
// (postgres.js pipelines them on the transaction's connection): one round trip, not ten.

export type AttemptFailure = {
  kind: "transient" | "permanent";
  errorClass: string;
  message: string;
  code?: string;
  httpStatus?: number;
  retryAfterMs?: number;
};

// What an outcome needs to know of the claim, read once when the backup started.
export type OutcomeClaim = EmailClaim & { groupId: number; formType: string; formsSubmitted: string[] };

export function outcomeClaimOf(group: NonNullable<Awaited<ReturnType<typeof getBackupGroup>>>): OutcomeClaim {
  const { main } = group;
  return {
    id: main.id,
    email: main.email,
    guid: main.guid,
    veteranFirstName: main.veteranFirstName,
    submittedAt: main.submittedAt,
    groupId: main.groupId,
    formType: main.formType,
    formsSubmitted: group.claims.map((c) => c.formType),
  };
}

type Context = {
  db: Db;
  payload: BackupClaimPayload;
  attemptId: number;
  claim?: OutcomeClaim;
  maxRetries: number;
  retryTimeFactor: number;
};

async function claimOf(ctx: Context): Promise<OutcomeClaim> {
  if (ctx.claim) return ctx.claim;
  const group = await getBackupGroup(ctx.db, ctx.payload.claimId);
  if (!group) throw new Error(`claim ${ctx.payload.claimId} not found`);
  return outcomeClaimOf(group);
}

export async function recordSubmitted(ctx: Context) {
  const { db, payload, attemptId } = ctx;
  const claim = await claimOf(ctx);
  await db.transaction(async (tx) => {
    await Promise.all([
      tx
        .update(backupAttempts)
        .set({ status: "submitted", submittedAt: sql`now()`, finishedAt: sql`now()` })
        .where(eq(backupAttempts.id, attemptId)),
      releaseInFlightSlot(tx, payload.claimId, "submitted"),
      setGroupTriage(tx, payload.claimId, {
        triageState: "submitted",
        blackHole: false,
        latestAttemptStatus: "submitted",
        attemptCountDelta: 1,
      }),
      // A successful backup overwrites the group's earlier failure, as VA.gov's dependents backup job does.
      tx
        .update(claimGroups)
        .set({ status: "processing", updatedAt: sql`now()` })
        .where(eq(claimGroups.id, claim.groupId)),
      setBatchItemState(tx, payload.batchId, payload.claimId, "submitted", { attemptId, message: null }),
      queueEmail(tx, { claim, attemptId, template: "backup_in_progress" }),
      incrementCounter(tx, "claim_triage_backup_attempts_total", { outcome: "submitted", form_type: claim.formType }),
    ]);
  });
  log.info({ claimId: payload.claimId, attemptId }, "backup submitted");
}

export async function recordFailure(ctx: Context, failure: AttemptFailure) {
  const { db, payload, attemptId } = ctx;
  const claim = await claimOf(ctx);
  const exhausted = failure.kind === "transient" && retriesExhausted(payload.retryNumber, ctx.maxRetries);
  const final = failure.kind === "permanent" || exhausted;
  await db.transaction(async (tx) => {
    const recorded = [
      tx
        .update(backupAttempts)
        .set({
          status: "failure",
          transient: failure.kind === "transient",
          errorClass: failure.errorClass,
          errorCode: failure.code ?? null,
          errorMessage: exhausted
            ? `${failure.message} (retries exhausted after ${payload.retryNumber})`
            : failure.message,
          httpStatus: failure.httpStatus ?? null,
          finishedAt: sql`now()`,
        })
        .where(eq(backupAttempts.id, attemptId)),
      incrementCounter(tx, "claim_triage_backup_attempts_total", {
        outcome: final ? "failed_permanent" : "failed_transient",
        form_type: claim.formType,
      }),
    ];

    if (!final) {
      // Still ours: the slot stays taken while the retry waits, so nobody else starts one.
      const delay = Math.max(
        retryDelaySeconds(payload.retryNumber, { timeFactor: ctx.retryTimeFactor }),
        (failure.retryAfterMs ?? 0) / 1000,
      );
      await Promise.all([
        ...recorded,
        enqueueBackup(tx, { ...payload, trigger: "retry", retryNumber: payload.retryNumber + 1 }, delay),
        setGroupTriage(tx, payload.claimId, { latestAttemptStatus: "failure", attemptCountDelta: 1 }),
        incrementCounter(tx, "claim_triage_backup_retries_total"),
      ]);
      return;
    }

    await Promise.all([
      ...recorded,
      releaseInFlightSlot(tx, payload.claimId, "failure"),
      endAsFailed(tx, {
        claim,
        attemptId,
        batchId: payload.batchId,
        latestAttemptStatus: "failure",
        // An attempt is counted on the claims' triage row when it ends, once, however often it was resumed.
        attemptCountDelta: 1,
        message: failure.message,
      }),
    ]);
  });
  log.warn(
    {
      claimId: payload.claimId,
      attemptId,
      kind: failure.kind,
      code: failure.code,
      httpStatus: failure.httpStatus,
      final,
    },
    "backup attempt failed",
  );
}

// How every failure ends, whether the attempt failed here (permanently, or out of retries) or its
// upload later ended in error or expired at Benefits Intake (poll-statuses.ts): the claims go back
// to a person as failed, the batch item says why, and the veteran is e-mailed, which is what turns
// a silent failure into a known one; a claim without an address is counted as a failure nobody
// was told of. In the caller's transaction, with the attempt's own record; its statements are
// sent together.
export async function endAsFailed(
  tx: DbOrTx,
  input: {
    claim: OutcomeClaim;
    attemptId: number;
    batchId: number | null;
    latestAttemptStatus: AttemptStatus;
    attemptCountDelta?: number;
    message: string;
  },
) {
  const { claim } = input;
  const email = queueEmail(tx, {
    claim,
    attemptId: input.attemptId,
    template: "backup_failed",
    failedAt: new Date(),
    formsSubmitted: claim.formsSubmitted,
  });
  await Promise.all([
    setGroupTriage(tx, claim.id, {
      triageState: "failed",
      latestAttemptStatus: input.latestAttemptStatus,
      attemptCountDelta: input.attemptCountDelta,
    }),
    setBatchItemState(tx, input.batchId, claim.id, "failed", {
      attemptId: input.attemptId,
      message: input.message.slice(0, 500),
    }),
    email,
  ]);
  await incrementCounter(
    tx,
    (await email) ? "claim_triage_silent_failures_avoided_total" : "claim_triage_failures_without_email_total",
    { form_type: claim.formType },
  );
}
