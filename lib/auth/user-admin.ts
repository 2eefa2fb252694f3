import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { lockUser, setUserDisabled, setUserRole } from "@/db/queries/users";
import type { Role } from "@/db/schema/enums";
import type { SessionUser } from "./roles";

// What an admin may do to another person's account on the Users page. Each change is made under
// the row's lock, in one transaction with its audit event. Nobody changes their own account: an
// admin cannot demote or lock out themselves, so there is always at least one admin (the one acting).

export type UserChange = { ok: true; changed: boolean } | { ok: false; error: string };
type Origin = { ip: string | null; userAgent: string | null };

const NOT_FOUND = "No such user.";

export async function changeUserRole(
  db: Db,
  input: { actor: SessionUser; userId: number; role: Role; origin: Origin },
): Promise<UserChange> {
  if (input.userId === input.actor.id) return { ok: false, error: "You cannot change your own role." };
  return db.transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (!user) return { ok: false, error: NOT_FOUND };
    // Choosing the role it has still pins it, so later sign-ins stop mapping it from groups.
    if (user.role === input.role && user.roleSetByAdmin) return { ok: true, changed: false };
    await setUserRole(tx, user.id, input.role);
    await recordAudit(tx, {
      user: input.actor,
      action: "user.role_change",
      details: { userId: user.id, name: user.name, from: user.role, to: input.role },
      ...input.origin,
    });
    return { ok: true, changed: true };
  });
}

export async function setUserEnabled(
  db: Db,
  input: { actor: SessionUser; userId: number; enabled: boolean; origin: Origin },
): Promise<UserChange> {
  if (input.userId === input.actor.id) return { ok: false, error: "You cannot disable or enable your own account." };
  return db.transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (!user) return { ok: false, error: NOT_FOUND };
    if ((user.disabledAt === null) === input.enabled) return { ok: true, changed: false };
    await setUserDisabled(tx, user.id, !input.enabled);
    await recordAudit(tx, {
      user: input.actor,
      action: input.enabled ? "user.enable" : "user.disable",
      details: { userId: user.id, name: user.name },
      ...input.origin,
    });
    return { ok: true, changed: true };
  });
}
