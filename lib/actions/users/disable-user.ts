"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { setUserEnabled } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db";
import { ActionError, defineAction } from "../define-action";

// Admin only: the account's sessions are refused from their next request and it cannot sign in
// again; the row and everything it did stay. Audited.
export const disableUserAction = defineAction({
  name: "user.disable",
  role: "admin",
  schema: z.object({ userId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  handler: async ({ userId }, { user, ip, userAgent }) => {
    const result = await setUserEnabled(getDb(), { actor: user, userId, enabled: false, origin: { ip, userAgent } });
    if (!result.ok) throw new ActionError(result.error);
    revalidatePath("/users");
    return result;
  },
});
