import "server-only";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getUserById } from "@/db/queries/users";
import type { Role } from "@/db/schema/enums";
import { getDb } from "../db";
import { getAuthOptions } from "./options";
import { hasRole, type SessionUser } from "./roles";

type Refusal = "no_session" | "unknown_account" | "disabled" | "role";

export type AuthResult =
  | { ok: true; user: SessionUser }
  | { ok: false; status: 401 | 403; error: string; refusal: Refusal };

type SignedIn = SessionUser | Exclude<Refusal, "role">;

// Who is signed in, looked up once per request: the layout and the page both ask, and each ask was
// a session decode and a user query (React's cache is scoped to one server request, never shared).
// The session names only the user's id: the role and the account's status come from the row, now.
const signedInUser = cache(async (): Promise<SignedIn> => {
  const session = await getServerSession(getAuthOptions());
  const id = (session as { userId?: unknown } | null)?.userId;
  if (typeof id !== "number" || !Number.isSafeInteger(id)) return "no_session";
  const row = await getUserById(getDb(), id);
  if (!row) return "unknown_account";
  if (row.disabledAt) return "disabled";
  return { id: row.id, email: row.email, name: row.name, role: row.role };
});

// The one check every page, route handler and server action makes: who is this, and may they?
export async function authorize(minimum: Role): Promise<AuthResult> {
  const user = await signedInUser();
  if (user === "no_session") return { ok: false, status: 401, error: "Sign in to continue.", refusal: user };
  if (user === "unknown_account")
    return { ok: false, status: 401, error: "Your account is not known to Claim Triage.", refusal: user };
  if (user === "disabled")
    return { ok: false, status: 401, error: "This account has been disabled; ask an admin.", refusal: user };
  if (!hasRole(user, minimum)) {
    const error = `This needs the ${minimum} role; you are a ${user.role}.`;
    return { ok: false, status: 403, error, refusal: "role" };
  }
  return { ok: true, user };
}

// For pages: send strangers to sign-in, a disabled account to its refusal, and the under-privileged
// to a plain refusal.
export async function requirePageUser(minimum: Role = "viewer"): Promise<SessionUser> {
  const result = await authorize(minimum);
  if (!result.ok) {
    if (result.refusal === "disabled") redirect("/signin/refused?reason=disabled");
    redirect(result.status === 401 ? "/signin" : `/forbidden?need=${minimum}`);
  }
  return result.user;
}

// For route handlers: a JSON error Response, or the user.
export async function requireApiUser(minimum: Role): Promise<SessionUser | Response> {
  const result = await authorize(minimum);
  if (!result.ok) return Response.json({ error: result.error }, { status: result.status });
  return result.user;
}
