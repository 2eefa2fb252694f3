"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { setUserEnabled } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db";
import { ActionError, defineAction } from "../define-action";

// Admin only: a disabled account may sign in again, with the role it had. Audited.
export const enableUserAction = defineAction({
  name: "user.enable",
  role: "admin",
  schema: z.object({ userId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  handler: async ({ userId }, { user, ip, userAgent }) => {
    const result = await setUserEnabled(getDb(), { actor: user, userId, enabled: true, origin: { ip, userAgent } });
    if (!result.ok) throw new ActionError(result.error);
    revalidatePath("/users");
    return result;
  },
});
