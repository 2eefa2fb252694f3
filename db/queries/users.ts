import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { users } from "../schema";
import type { Role } from "../schema/enums";

export async function getUserByEmail(db: DbOrTx, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return user ?? null;
}

// First sign-in through the identity provider creates the user with the default role.
export async function upsertSignedInUser(db: DbOrTx, input: { email: string; name: string; defaultRole: Role }) {
  const [user] = await db
    .insert(users)
    .values({ email: input.email.toLowerCase(), name: input.name, role: input.defaultRole, lastSignInAt: new Date() })
    .onConflictDoUpdate({ target: users.email, set: { lastSignInAt: sql`now()` } })
    .returning();
  return user;
}
