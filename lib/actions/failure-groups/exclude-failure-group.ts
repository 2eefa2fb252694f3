"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionReasonSchema } from "@/lib/claims/reason";
import { getDb } from "@/lib/db";
import { excludeFailureGroup as excludeGroup } from "@/lib/failure-groups/exclude-group";
import { storableText } from "@/lib/storable-text";
import { defineAction } from "../define-action";

// Admin only, as excluding one claim is: parks every claim of the group waiting for a person.
export const excludeFailureGroup = defineAction({
  name: "group.exclude",
  role: "admin",
  schema: z.object({
    fingerprint: storableText(z.string().min(1).max(300), "The fingerprint"),
    reason: actionReasonSchema,
  }),
  handler: async ({ fingerprint, reason }, { user, ip, userAgent }) => {
    const result = await excludeGroup(getDb(), { fingerprint, reason, user, origin: { ip, userAgent } });
    revalidatePath("/groups", "layout");
    revalidatePath("/claims");
    return result;
  },
});
