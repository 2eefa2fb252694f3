"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { roleEnum } from "@/db/schema/enums";
import { changeUserRole } from "@/lib/auth/user-admin";
import { getDb } from "@/lib/db";
import { ActionError, defineAction } from "../define-action";

// Admin only: another person's role, kept from then on over what their groups map to; audited.
export const changeUserRoleAction = defineAction({
  name: "user.role_change",
  role: "admin",
  schema: z.object({
    userId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    role: z.enum(roleEnum.enumValues),
  }),
  handler: async ({ userId, role }, { user, ip, userAgent }) => {
    const result = await changeUserRole(getDb(), { actor: user, userId, role, origin: { ip, userAgent } });
    if (!result.ok) throw new ActionError(result.error);
    revalidatePath("/users");
    return result;
  },
});
