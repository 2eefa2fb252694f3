"use server";

import { sql } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { savedClaims } from "@/db/schema";
import { canSeePii } from "@/lib/auth/roles";
import { BatchTooLargeError } from "@/lib/batches/batch-limit";
import { createBatch } from "@/lib/batches/create-batch";
import { describeFilter } from "@/lib/claims/describe-filter";
import { actionReasonSchema } from "@/lib/claims/reason";
import { claimSelectionSchema, selectionIsEverything } from "@/lib/claims/selection";
import { selectionWhere } from "@/lib/claims/selection-where";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { countOf } from "@/lib/plural";
import { ActionError, defineAction } from "../define-action";

// Resubmits a selection as a batch: the claims are frozen into batch items now, and the batch runs
// in the background at the configured rate. Returns at once with the batch to watch.
export const resubmitClaims = defineAction({
  name: "claims.resubmit",
  role: "triager",
  schema: z.object({ selection: claimSelectionSchema, reason: actionReasonSchema, force: z.boolean().default(false) }),
  handler: async ({ selection, reason, force }, { user, ip, userAgent }) => {
    if (selectionIsEverything(selection) && !(selection.kind === "filter" && selection.everything)) {
      throw new ActionError(
        "No filter is applied, so this would resubmit every claim. Confirm that explicitly, or add a filter.",
      );
    }
    const frozenAt = new Date();
    const where = selectionWhere(selection, { piiSearch: canSeePii(user), frozenAt });
    const db = getDb();
    const [firstMatch] = await db.select({ one: sql<number>`1` }).from(savedClaims).where(where).limit(1);
    if (!firstMatch) throw new ActionError("No claims match this selection any more; nothing was started.");

    const name =
      selection.kind === "ids"
        ? `Resubmit of ${countOf(selection.ids.length, "selected claim")}`
        : `Resubmit of claims matching ${describeFilter(selection.filter)}`.slice(0, 200);
    const { batchId, itemCount } = await createBatch(
      db,
      {
        name,
        reason,
        source: selection.kind === "ids" ? "selection" : "filter",
        user,
        ratePerMinute: getEnv().BATCH_DEFAULT_RATE_PER_MINUTE,
        force,
        start: true,
        // The stored filter carries its time bound, so the batch says exactly what it swept in.
        filter: selection.kind === "filter" ? { ...selection.filter, frozenAt: frozenAt.toISOString() } : undefined,
        origin: { ip, userAgent },
      },
      selection.kind === "ids" ? { claimIds: [...new Set(selection.ids)] } : { where },
    ).catch((e) => {
      // Over the cap the dialog already warned of (the selection grew since, or it was skipped).
      throw e instanceof BatchTooLargeError ? new ActionError(e.message) : e;
    });
    revalidatePath("/claims");
    return { batchId, itemCount, href: `/batches/${batchId}` };
  },
});
