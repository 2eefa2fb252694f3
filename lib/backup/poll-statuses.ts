import { and, eq, inArray, sql } from "drizzle-orm";
import { idArray } from "@/db/bind-array";
import type { Db } from "@/db/client";
import { getAttemptsToPoll, getBackupGroup, setGroupTriage } from "@/db/queries/backups";
import { setBatchItemState } from "@/db/queries/batch-items";
import { incrementCounter } from "@/db/queries/metrics";
import { backupAttempts, backupSubmissions, claimGroups, savedClaims } from "@/db/schema";
import type { BenefitsIntakeClient } from "../benefits-intake/client";
import type { UploadStatusResult } from "../benefits-intake/types";
import { log } from "../log";
import { endAsFailed, outcomeClaimOf } from "./outcomes";

// Asks Benefits Intake where every upload we made stands (POST /uploads/report, 1,000 a call) until
// it reaches an end state. vbms (or success past its SLA) confirms the claim; error and expired
// send it back to triage as failed, counted and visible, never silent.

const SUCCESS_SLA_MS = 7 * 86_400_000;

export async function pollStatuses(deps: { db: Db; benefitsIntake: BenefitsIntakeClient; limit?: number }) {
  const { db } = deps;
  const attempts = await getAttemptsToPoll(db, deps.limit ?? 5000);
  const summary = { polled: attempts.length, confirmed: 0, returned: 0, unapplied: 0 };
  if (attempts.length > 0) {
    const report = await deps.benefitsIntake.getUploadReport(attempts.map((a) => a.uuid!));
    const byUuid = new Map(report.map((r) => [r.uuid, r]));
    for (const a of attempts) {
      const status = byUuid.get(a.uuid!);
      // One attempt whose outcome cannot be written must not stop every other claim's: it is
      // logged, and the next poll tries it again.
      const outcome = status
        ? await applyStatus(db, a, status).catch((err: unknown) => {
            summary.unapplied++;
            log.error(
              { attemptId: a.id, claimId: a.claimId, err },
              "could not apply an upload status; next poll retries",
            );
            return null;
          })
        : null;
      if (outcome === "confirmed") summary.confirmed++;
      if (outcome === "returned") summary.returned++;
    }
    await db
      .update(backupAttempts)
      .set({ lastPolledAt: sql`now()` })
      .where(sql`${backupAttempts.id} = any(${idArray(attempts.map((a) => a.id))})`);
  }
  if (summary.polled) log.info(summary, "polled Benefits Intake statuses");
  return summary;
}

type Polled = Awaited<ReturnType<typeof getAttemptsToPoll>>[number];

async function applyStatus(
  db: Db,
  attempt: Polled,
  status: UploadStatusResult,
): Promise<"confirmed" | "returned" | null> {
  const confirmed =
    status.status === "vbms" ||
    (status.status === "success" && Date.now() - (attempt.submittedAt?.getTime() ?? 0) > SUCCESS_SLA_MS);
  const failed = status.status === "error" || status.status === "expired";
  if (!confirmed && !failed) {
    if (status.status === "success" && attempt.status !== "success") {
      await db.update(backupAttempts).set({ status: "success" }).where(eq(backupAttempts.id, attempt.id));
    }
    return null;
  }
  const endStatus = confirmed
    ? status.status === "vbms"
      ? "vbms"
      : "success"
    : (status.status as "error" | "expired");
  return db.transaction(async (tx) => {
    // Only the poll that moves the attempt out of submitted/success records the outcome.
    const moved = await tx
      .update(backupAttempts)
      .set({
        status: endStatus,
        endStateAt: sql`now()`,
        ...(failed
          ? {
              errorCode: status.code ?? null,
              errorMessage: status.detail ?? `Benefits Intake reported ${status.status}`,
              transient: false,
            }
          : {}),
      })
      .where(and(eq(backupAttempts.id, attempt.id), inArray(backupAttempts.status, ["submitted", "success"])))
      .returning({ id: backupAttempts.id });
    if (moved.length === 0) return null;
    const [claim] = await tx
      .select({ formType: savedClaims.formType, groupId: savedClaims.groupId })
      .from(savedClaims)
      .where(eq(savedClaims.id, attempt.claimId));
    await tx
      .update(backupSubmissions)
      .set({ latestStatus: endStatus, updatedAt: sql`now()` })
      .where(eq(backupSubmissions.claimId, attempt.claimId));
    await incrementCounter(tx, "claim_triage_uploads_end_state_total", {
      status: endStatus,
      form_type: claim.formType,
    });
    if (confirmed) {
      await setGroupTriage(tx, attempt.claimId, { triageState: "confirmed", latestAttemptStatus: endStatus });
      await tx
        .update(claimGroups)
        .set({ status: "success", updatedAt: sql`now()` })
        .where(eq(claimGroups.id, claim.groupId));
      await setBatchItemState(tx, attempt.batchId, attempt.claimId, "confirmed");
      return "confirmed" as const;
    }
    // Not received by VA after all: back to a person, counted (docs/design.md §4, step 9). The
    // veteran was told it was in progress; now they are told it failed, like any permanent failure
    // (as VA.gov's dependents backup job does), so the claim is failed-and-notified rather than a silent failure while it waits.
    const group = await getBackupGroup(tx, attempt.claimId);
    if (!group) throw new Error(`claim ${attempt.claimId} not found`);
    await endAsFailed(tx, {
      claim: outcomeClaimOf(group),
      attemptId: attempt.id,
      batchId: attempt.batchId,
      latestAttemptStatus: endStatus,
      message: `Benefits Intake ${endStatus}${status.code ? ` ${status.code}` : ""}: ${status.detail ?? ""}`,
    });
    await tx
      .update(claimGroups)
      .set({ status: "failure", updatedAt: sql`now()` })
      .where(eq(claimGroups.id, claim.groupId));
    await incrementCounter(tx, "claim_triage_returned_to_triage_total", { status: endStatus });
    return "returned" as const;
  });
}
