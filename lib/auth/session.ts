import "server-only";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { getUserByEmail } from "@/db/queries/users";
import type { Role } from "@/db/schema/enums";
import { getDb } from "../db";
import { getAuthOptions } from "./options";
import { hasRole, type SessionUser } from "./roles";

export type AuthResult = { ok: true; user: SessionUser } | { ok: false; status: 401 | 403; error: string };

// The one check every page, route handler and server action makes: who is this, and may they?
export async function authorize(minimum: Role): Promise<AuthResult> {
  const session = await getServerSession(getAuthOptions());
  const email = session?.user?.email;
  if (!email) return { ok: false, status: 401, error: "Sign in to continue." };
  const row = await getUserByEmail(getDb(), email);
  if (!row) return { ok: false, status: 401, error: "Your account is not known to Claim Triage." };
  const user: SessionUser = { id: row.id, email: row.email, name: row.name, role: row.role };
  if (!hasRole(user, minimum)) return { ok: false, status: 403, error: `This needs the ${minimum} role; you are a ${user.role}.` };
  return { ok: true, user };
}

// For pages: send strangers to sign-in and the under-privileged to a plain refusal.
export async function requirePageUser(minimum: Role = "viewer"): Promise<SessionUser> {
  const result = await authorize(minimum);
  if (!result.ok) redirect(result.status === 401 ? "/signin" : `/forbidden?need=${minimum}`);
  return result.user;
}

// For route handlers: a JSON error Response, or the user.
export async function requireApiUser(minimum: Role): Promise<SessionUser | Response> {
  const result = await authorize(minimum);
  if (!result.ok) return Response.json({ error: result.error }, { status: result.status });
  return result.user;
}
