"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { retryFailedItems as retry } from "@/lib/batch-retry/retry-failed-items";
import { actionReasonSchema } from "@/lib/claims/reason";
import { getDb } from "@/lib/db";
import { ActionError, defineAction } from "../define-action";

// A new batch from one batch's failed items (audited by the batch creation as a created-and-started batch).
export const retryFailedItems = defineAction({
  name: "batch.retry_failed",
  role: "triager",
  schema: z.object({ batchId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), reason: actionReasonSchema }),
  handler: async ({ batchId, reason }, { user, ip, userAgent }) => {
    const result = await retry(getDb(), { batchId, reason, user, origin: { ip, userAgent } });
    if (!result.ok) throw new ActionError(result.error);
    revalidatePath("/batches");
    return { batchId: result.batchId, itemCount: result.itemCount, href: `/batches/${result.batchId}` };
  },
});
