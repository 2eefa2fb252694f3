import type { Sql } from "postgres";
import { DEV_ISSUER } from "../schema/users";

// The development sign-in's users, seeded with the demo data. Their identity is (dev, e-mail): no
// identity provider answers for that issuer, so only the development sign-in reaches them.
export const SEED_USERS = [
  { email: "viewer@example.com", name: "Vera Viewer", role: "viewer" },
  { email: "triager@example.com", name: "Theo Triager", role: "triager" },
  { email: "admin@example.com", name: "Ada Admin", role: "admin" },
] as const;

export async function seedUsers(sql: Sql) {
  for (const u of SEED_USERS) {
    await sql`insert into users (issuer, subject, email, name, role)
      values (${DEV_ISSUER}, ${u.email}, ${u.email}, ${u.name}, ${u.role})
      on conflict (issuer, subject) do nothing`;
  }
}
