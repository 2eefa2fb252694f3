// A local stand-in for VA Notify's e-mail endpoint (POST /v2/notifications/email), in the shapes
// VA Notify (GOV.UK Notify) uses: 201 with the notification, errors as
// `{ errors: [{ error, message }], status_code }`. Requests carry a JWT signed with the key's
// secret, checked as VA Notify does (notify-auth.ts). Received e-mails are kept for tests to read.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerFault, countRequest, type ServiceContext } from "./context";
import { headerValue, readJson, requestOrigin, sendJson } from "./http-utils";
import { checkNotifyAuth } from "./notify-auth";

export const NOTIFY_BASE_PATH = "/va-notify";
const EMAIL_PATH = `${NOTIFY_BASE_PATH}/v2/notifications/email`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_KEPT = 10_000;

function notifyError(res: ServerResponse, status: number, error: string, message: string): void {
  sendJson(res, status, { errors: [{ error, message }], status_code: status });
}

function validationProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (body.email_address === undefined) problems.push("email_address is a required property");
  else if (typeof body.email_address !== "string" || !EMAIL.test(body.email_address)) {
    problems.push("email_address Not a valid email address");
  }
  if (body.template_id === undefined) problems.push("template_id is a required property");
  else if (typeof body.template_id !== "string" || body.template_id.trim() === "") {
    problems.push("template_id is not a valid template id");
  }
  const p = body.personalisation;
  if (p !== undefined && p !== null && (typeof p !== "object" || Array.isArray(p))) {
    problems.push("personalisation is not of type object");
  }
  if (body.reference !== undefined && body.reference !== null && typeof body.reference !== "string") {
    problems.push("reference is not of type string");
  }
  return problems;
}

export async function handleNotify(
  ctx: ServiceContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (url.pathname !== EMAIL_PATH) return false;
  if (req.method !== "POST") {
    notifyError(res, 405, "MethodNotAllowed", "The method is not allowed for the requested URL.");
    return true;
  }
  const authFailure = checkNotifyAuth(headerValue(req, "authorization"), ctx.options.notifyApiKey);
  if (authFailure) {
    req.resume();
    notifyError(res, authFailure.status, "AuthError", authFailure.message);
    return true;
  }
  countRequest(ctx, "notify");
  if (await answerFault(ctx, res, ctx.faults.take("notify"), "notify")) {
    req.resume();
    return true;
  }

  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    notifyError(res, 400, "BadRequestError", "Invalid JSON supplied in POST data");
    return true;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    notifyError(res, 400, "BadRequestError", "Invalid JSON supplied in POST data");
    return true;
  }
  const fields = body as Record<string, unknown>;
  const problems = validationProblems(fields);
  if (problems.length > 0) {
    sendJson(res, 400, {
      errors: problems.map((message) => ({ error: "ValidationError", message })),
      status_code: 400,
    });
    return true;
  }

  const personalisation = (fields.personalisation ?? {}) as Record<string, unknown>;
  const record = {
    id: randomUUID(),
    email_address: fields.email_address as string,
    template_id: fields.template_id as string,
    personalisation,
    reference: (fields.reference as string | undefined) ?? null,
    received_at: new Date(ctx.now()).toISOString(),
  };
  ctx.notifications.push(record);
  if (ctx.notifications.length > MAX_KEPT) ctx.notifications.shift();

  const origin = requestOrigin(req, `http://${ctx.options.host}:${ctx.options.port}`);
  const templateUri = `${origin}${NOTIFY_BASE_PATH}/services/local/templates/${encodeURIComponent(record.template_id)}`;
  sendJson(res, 201, {
    id: record.id,
    reference: record.reference,
    uri: `${origin}${NOTIFY_BASE_PATH}/v2/notifications/${record.id}`,
    template: { id: record.template_id, version: 1, uri: templateUri },
    content: {
      subject: `Local VA Notify template ${record.template_id}`,
      // The real body is the template filled in; listing the fields shows what would be filled.
      body: Object.entries(personalisation)
        .map(([key, value]) => `${key}: ${String(value)}`)
        .join("\n"),
      from_email: "do-not-reply@notifications.va.gov",
    },
    scheduled_for: null,
  });
  return true;
}
