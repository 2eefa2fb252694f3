import type { Role } from "@/db/schema/enums";

export type SessionUser = { id: number; email: string; name: string; role: Role };

const RANK: Record<Role, number> = { viewer: 0, triager: 1, admin: 2 };

export function hasRole(user: Pick<SessionUser, "role">, minimum: Role) {
  return RANK[user.role] >= RANK[minimum];
}

// Leadership sees figures, not people (docs/design.md §2).
export function canSeePii(user: Pick<SessionUser, "role">) {
  return hasRole(user, "triager");
}
