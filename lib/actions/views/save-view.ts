"use server";

import { revalidatePath } from "next/cache";
import { recordAudit } from "@/db/queries/audit";
import { upsertView } from "@/db/queries/saved-views";
import { getDb } from "@/lib/db";
import { viewHref, viewQuery } from "@/lib/views/saved-view";
import { savedViewInputSchema } from "@/lib/views/saved-view-input";
import { defineAction } from "../define-action";

// Anyone signed in may save the list as they see it; a shared view shows in everyone's rail.
export const saveView = defineAction({
  name: "view.save",
  role: "viewer",
  schema: savedViewInputSchema,
  handler: async (input, { user, ip, userAgent }) => {
    const query = viewQuery(input.query);
    const db = getDb();
    const saved = await db.transaction(async (tx) => {
      const result = await upsertView(tx, {
        ownerUserId: user.id,
        name: input.name,
        shared: input.shared,
        query,
        columns: input.columns,
      });
      await recordAudit(tx, {
        user,
        action: "view.save",
        details: { viewId: result.id, name: input.name, shared: input.shared, query, columns: input.columns },
        ip,
        userAgent,
      });
      return result;
    });
    revalidatePath("/claims");
    return { ...saved, href: viewHref({ query, columns: input.columns }) };
  },
});
