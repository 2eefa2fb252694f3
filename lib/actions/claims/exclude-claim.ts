"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { setClaimExclusion } from "@/lib/claims/exclusion";
import { actionReasonSchema } from "@/lib/claims/reason";
import { getDb } from "@/lib/db";
import { ActionError, defineAction } from "../define-action";

// Admin only: park a claim (and its group) with a reason; its history stays and it can come back.
export const excludeClaim = defineAction({
  name: "claim.exclude",
  role: "admin",
  schema: z.object({ claimId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), reason: actionReasonSchema }),
  handler: async ({ claimId, reason }, { user, ip, userAgent }) => {
    const result = await setClaimExclusion(getDb(), {
      claimId,
      exclude: true,
      reason,
      user,
      origin: { ip, userAgent },
    });
    if (!result.ok) throw new ActionError(result.error);
    revalidatePath(`/claims/${claimId}`);
    return result;
  },
});
