"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/lib/db";
import { failureGroupChangeSchema, updateFailureGroup as saveChange } from "@/lib/failure-groups/update-group";
import { ActionError, defineAction } from "../define-action";

// Triagers own failure groups: status, owner, notes, ticket link.
export const updateFailureGroup = defineAction({
  name: "group.update",
  role: "triager",
  schema: failureGroupChangeSchema,
  handler: async (change, { user, ip, userAgent }) => {
    const result = await saveChange(getDb(), change, user, { ip, userAgent });
    if (!result.ok) throw new ActionError(result.error);
    revalidatePath("/groups", "layout");
    return { changed: result.changed };
  },
});
