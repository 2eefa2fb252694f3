import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { users } from "../schema";
import type { Role } from "../schema/enums";
import { DEV_ISSUER, LEGACY_ISSUER } from "../schema/users";

export type UserRow = typeof users.$inferSelect;

export async function getUserById(db: DbOrTx, id: number): Promise<UserRow | null> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user ?? null;
}

// The development sign-in's seeded users are (dev, their e-mail).
export async function getDevUser(db: DbOrTx, email: string): Promise<UserRow | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.issuer, DEV_ISSUER), eq(users.subject, email.toLowerCase())));
  return user ?? null;
}

export async function getUserByIdentity(db: DbOrTx, issuer: string, subject: string): Promise<UserRow | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.issuer, issuer), eq(users.subject, subject)));
  return user ?? null;
}

export async function recordDevSignIn(db: DbOrTx, id: number) {
  await db.update(users).set({ lastSignInAt: sql`now()` }).where(eq(users.id, id));
}

export type SignInIdentity = { issuer: string; subject: string; email: string; name: string };

// A sign-in through the identity provider: creates the person on their first visit, and on every
// visit refreshes the name and e-mail the provider now holds and the role their groups map to,
// unless an admin has chosen the role. A disabled row is returned untouched, for the caller to refuse.
export async function recordOidcSignIn(db: DbOrTx, input: { identity: SignInIdentity; role: Role }): Promise<UserRow> {
  const { issuer, subject, email, name } = input.identity;
  return db.transaction(async (tx) => {
    const existing = await getUserByIdentity(tx, issuer, subject);
    if (existing?.disabledAt) return existing;
    if (!existing) {
      // A row from before (issuer, subject), known by e-mail only: this verified sign-in takes it over
      // once, with its history; the role is mapped from groups afresh, as the old default may be wrong.
      const [adopted] = await tx
        .update(users)
        .set({ issuer, subject, email, name, role: input.role, roleSetByAdmin: false, lastSignInAt: sql`now()` })
        .where(and(eq(users.issuer, LEGACY_ISSUER), eq(users.subject, email), isNull(users.disabledAt)))
        .returning();
      if (adopted) return adopted;
    }
    const [user] = await tx
      .insert(users)
      .values({ issuer, subject, email, name, role: input.role, lastSignInAt: sql`now()` })
      .onConflictDoUpdate({
        target: [users.issuer, users.subject],
        set: {
          email,
          name,
          lastSignInAt: sql`now()`,
          role: sql`case when ${users.roleSetByAdmin} then ${users.role} else excluded.role end`,
        },
      })
      .returning();
    return user;
  });
}

// The Users page: everyone who ever signed in or was seeded, the active first.
export async function listUsers(db: DbOrTx) {
  return db.select().from(users).orderBy(sql`${users.disabledAt} is not null`, asc(users.name), asc(users.id));
}

// For a change made by an admin: the row as it stands, locked until the transaction ends.
export async function lockUser(tx: DbOrTx, id: number): Promise<UserRow | null> {
  const [user] = await tx.select().from(users).where(eq(users.id, id)).for("update");
  return user ?? null;
}

export async function setUserRole(tx: DbOrTx, id: number, role: Role) {
  await tx.update(users).set({ role, roleSetByAdmin: true }).where(eq(users.id, id));
}

export async function setUserDisabled(tx: DbOrTx, id: number, disabled: boolean) {
  await tx
    .update(users)
    .set({ disabledAt: disabled ? sql`now()` : null })
    .where(eq(users.id, id));
}
