"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionReasonSchema } from "@/lib/claims/reason";
import { getDb } from "@/lib/db";
import { settleConflict as settle } from "@/lib/ingest/settle-conflict";
import { ActionError, defineAction } from "../define-action";

// Admin only: decide a conflict between the system of record and a backup of ours (docs/ingest.md).
export const settleConflict = defineAction({
  name: "claim.conflict_settle",
  role: "admin",
  schema: z.object({
    claimId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    decision: z.enum(["keep_ours", "resolved_elsewhere"]),
    reason: actionReasonSchema,
  }),
  handler: async ({ claimId, decision, reason }, { user, ip, userAgent }) => {
    const result = await settle(getDb(), { claimId, decision, reason, user, origin: { ip, userAgent } });
    if (!result.ok) throw new ActionError(result.error);
    revalidatePath(`/claims/${claimId}`);
    revalidatePath("/sources");
    return result;
  },
});
