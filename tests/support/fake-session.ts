import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

// What next-auth's getServerSession returns once lib/auth/options.ts has shaped the session: the
// user's id, nothing else trusted. Tests that fake the session (vi.mock of next-auth) return these,
// so the real check (lib/auth/session.ts) still reads the role and status from the users table.

export function sessionOf(userId: number) {
  return { user: {}, userId, expires: new Date(Date.now() + 3_600_000).toISOString() };
}

// A seeded development user (viewer@, triager@, admin@example.com); an unknown e-mail gets an id no
// row has, which the check refuses as an unknown account.
export async function seededUserSession(db: Db, email: string) {
  const [row] = await db.execute<{ id: number }>(
    sql`select id::int as id from users where issuer = 'dev' and subject = ${email}`,
  );
  return sessionOf(row ? Number(row.id) : 0);
}
