"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { SKIP_REASON_TEXT } from "@/lib/backup/rules";
import { startBackupInTransaction } from "@/lib/backup/start-backup";
import { actionReasonSchema } from "@/lib/claims/reason";
import { getDb } from "@/lib/db";
import { ActionError, defineAction } from "../define-action";

// Resubmits one claim (its group's backup for a 674) through the one door into the backup flow.
// The audit event is written in the same transaction as the start, so neither exists without the other.
export const resubmitClaim = defineAction({
  name: "claim.resubmit",
  role: "triager",
  schema: z.object({
    claimId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    reason: actionReasonSchema,
    force: z.boolean().default(false),
  }),
  handler: async ({ claimId, reason, force }, { user, ip, userAgent }) => {
    const outcome = await getDb().transaction(async (tx) => {
      const result = await startBackupInTransaction(tx, {
        claimId,
        trigger: "user",
        userId: user.id,
        batchId: null,
        force,
      });
      // An id that names no claim is a refusal, as in exclude: no audit record of a claim that does not exist.
      if (!result.started && result.reason === "unknown_claim")
        throw new ActionError(`No such claim: #${claimId}. Nothing was started.`);
      // A claim that may not start (excluded, already in flight, …) is a refusal, recorded as one.
      await recordAudit(tx, {
        user,
        action: result.started ? "claim.resubmit" : "claim.resubmit_refused",
        claimIds: [result.claimId],
        reason,
        details: {
          requestedClaimId: claimId,
          force,
          started: result.started,
          skipped: result.started ? null : result.reason,
        },
        ip,
        userAgent,
      });
      return result;
    });
    revalidatePath(`/claims/${claimId}`);
    if (outcome.started)
      return {
        started: true as const,
        mainClaimId: outcome.claimId,
        message: `Backup started for claim ${outcome.claimId}.`,
      };
    return {
      started: false as const,
      mainClaimId: outcome.claimId,
      reason: outcome.reason,
      message: `Not started: ${SKIP_REASON_TEXT[outcome.reason]}.`,
    };
  },
});
