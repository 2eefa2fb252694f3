import "server-only";
import { headers } from "next/headers";
import type { z } from "zod";
import { recordAudit } from "@/db/queries/audit";
import type { Role } from "@/db/schema/enums";
import type { SessionUser } from "../auth/roles";
import { authorize } from "../auth/session";
import { getDb } from "../db";
import { getEnv } from "../env";
import { log } from "../log";
import { clientIpFrom } from "../request-ip";
import { isStatementTimeout, STATEMENT_TIMEOUT_MESSAGE } from "../statement-timeout";

// A server action is a public POST endpoint: every one goes through this wrapper, which checks the
// session and role, parses the input with zod, and returns one result shape.

export type ActionResult<T> = { data: T } | { error: string; fieldErrors?: Record<string, string[]> };
export type ActionContext = { user: SessionUser; ip: string | null; userAgent: string | null };

// Thrown by a handler for a refusal the user should read (nothing was changed).
export class ActionError extends Error {}

// Who called, for the audit log: the client IP through our trusted proxy hops (lib/request-ip.ts).
export async function requestOrigin() {
  const h = await headers();
  return { ip: clientIpFrom(h.get("x-forwarded-for"), getEnv().TRUSTED_PROXY_HOPS), userAgent: h.get("user-agent") };
}

// A signed-in user called an action above their role (the page never offers it, so the request was
// made by hand): the refusal goes in the audit log. Never at the cost of the refusal itself.
async function recordRefusal(action: string, need: Role) {
  try {
    const who = await authorize("viewer");
    if (!who.ok) return;
    await recordAudit(getDb(), {
      user: who.user,
      action: "action.refused",
      details: { action, need, role: who.user.role },
      ...(await requestOrigin()),
    });
  } catch (e) {
    log.error({ action, err: e }, "could not record a refused action");
  }
}

export function defineAction<S extends z.ZodType, T>(options: {
  name: string;
  role: Role;
  schema: S;
  handler: (input: z.infer<S>, ctx: ActionContext) => Promise<T>;
}) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    const auth = await authorize(options.role);
    if (!auth.ok) {
      if (auth.status === 403) await recordRefusal(options.name, options.role);
      return { error: auth.error };
    }
    const parsed = options.schema.safeParse(input);
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join(".") || "input";
        fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
      }
      return { error: "The request was not valid; nothing was changed.", fieldErrors };
    }
    try {
      const origin = await requestOrigin();
      return { data: await options.handler(parsed.data, { user: auth.user, ...origin }) };
    } catch (e) {
      if (e instanceof ActionError) return { error: e.message };
      if (isStatementTimeout(e)) {
        log.warn({ action: options.name, userId: auth.user.id }, "server action stopped by the statement time-out");
        return { error: STATEMENT_TIMEOUT_MESSAGE };
      }
      log.error({ action: options.name, userId: auth.user.id, err: e }, "server action failed");
      return {
        error: "Something went wrong on the server; nothing was changed. Try again, or tell the on-call engineer.",
      };
    }
  };
}
