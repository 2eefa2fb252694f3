import "server-only";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getUserByEmail } from "@/db/queries/users";
import type { Role } from "@/db/schema/enums";
import { getDb } from "../db";
import { getAuthOptions } from "./options";
import { hasRole, type SessionUser } from "./roles";

export type AuthResult = { ok: true; user: SessionUser } | { ok: false; status: 401 | 403; error: string };

// Who is signed in, looked up once per request: the layout and the page both ask, and each ask was
// a session decode and a user query (React's cache is scoped to one server request, never shared).
const signedInUser = cache(async (): Promise<SessionUser | "no_session" | "unknown_account"> => {
  const session = await getServerSession(getAuthOptions());
  const email = session?.user?.email;
  if (!email) return "no_session";
  const row = await getUserByEmail(getDb(), email);
  if (!row) return "unknown_account";
  return { id: row.id, email: row.email, name: row.name, role: row.role };
});

// The one check every page, route handler and server action makes: who is this, and may they?
export async function authorize(minimum: Role): Promise<AuthResult> {
  const user = await signedInUser();
  if (user === "no_session") return { ok: false, status: 401, error: "Sign in to continue." };
  if (user === "unknown_account")
    return { ok: false, status: 401, error: "Your account is not known to Claim Triage." };
  if (!hasRole(user, minimum))
    return { ok: false, status: 403, error: `This needs the ${minimum} role; you are a ${user.role}.` };
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
