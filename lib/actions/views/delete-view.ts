"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import { deleteOwnView } from "@/db/queries/saved-views";
import { getDb } from "@/lib/db";
import { ActionError, defineAction } from "../define-action";

// Only a view's owner deletes it, shared or not.
export const deleteView = defineAction({
  name: "view.delete",
  role: "viewer",
  schema: z.object({ viewId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  handler: async ({ viewId }, { user, ip, userAgent }) => {
    const deleted = await getDb().transaction(async (tx) => {
      const row = await deleteOwnView(tx, user.id, viewId);
      if (row)
        await recordAudit(tx, { user, action: "view.delete", details: { viewId, name: row.name }, ip, userAgent });
      return row;
    });
    if (!deleted) throw new ActionError("That view is not yours, or it was already deleted.");
    revalidatePath("/claims");
    return { viewId };
  },
});
