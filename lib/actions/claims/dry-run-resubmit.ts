"use server";

import { z } from "zod";
import { canSeePii } from "@/lib/auth/roles";
import { computeDryRun } from "@/lib/claims/dry-run";
import { claimSelectionSchema } from "@/lib/claims/selection";
import { selectionWhere } from "@/lib/claims/selection-where";
import { getDb } from "@/lib/db";
import { defineAction } from "../define-action";

// Read-only: what "Resubmit" would do with this selection, shown in the confirmation dialog.
export const dryRunResubmit = defineAction({
  name: "claims.dryRunResubmit",
  role: "triager",
  schema: z.object({ selection: claimSelectionSchema, force: z.boolean().default(false) }),
  handler: async ({ selection, force }, { user }) => {
    const where = selectionWhere(selection, { piiSearch: canSeePii(user), frozenAt: new Date() });
    return computeDryRun(getDb(), where, { force });
  },
});
