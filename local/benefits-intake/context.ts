// State shared by the routes of one running local service, and the way a fault is answered.

import type { ServerResponse } from "node:http";
import type { FaultInjector, FaultRoute, FaultStep } from "./faults";
import { jsonApiError, sendJson, sendS3Error, sleep } from "./http-utils";
import type { ResolvedOptions } from "./options";
import type { LocationSigner, UploadStore } from "./upload-store";

export interface NotificationRecord {
  id: string;
  email_address: string;
  template_id: string;
  personalisation: Record<string, unknown>;
  reference: string | null;
  received_at: string;
}

/** A POST the webhook receiver kept (routes-webhooks.ts). */
export interface WebhookRecord {
  name: string;
  body: unknown;
  received_at: string;
}

export interface ServiceContext {
  /** Timing settings (stepMs, locationTtlMs, reportCacheMs, sandbox) can change at run time. */
  options: ResolvedOptions;
  store: UploadStore;
  faults: FaultInjector;
  signer: LocationSigner;
  notifications: NotificationRecord[];
  webhooks: WebhookRecord[];
  /** Shifts "now" forward so tests can pass time without waiting. */
  clock: { offsetMs: number };
  now(): number;
  requestCounts: Partial<Record<FaultRoute, number>>;
  reportSizes: number[];
  /** Responses held open by a "hang" fault, ended when the server closes. */
  hanging: Set<ServerResponse>;
}

export function countRequest(ctx: ServiceContext, route: FaultRoute): void {
  ctx.requestCounts[route] = (ctx.requestCounts[route] ?? 0) + 1;
}

/** How each surface words its errors: the API (JSON:API + gateway), the S3-like location, Notify. */
export type ErrorStyle = "api" | "location" | "notify";

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  408: "Request timeout",
  422: "Unprocessable entity",
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout",
};

const S3_CODES: Record<number, [string, string]> = {
  400: ["BadRequest", "An error occurred when parsing the HTTP request."],
  403: ["AccessDenied", "Access Denied"],
  429: ["TooManyRequests", "API rate limit exceeded"],
  500: ["InternalError", "We encountered an internal error. Please try again."],
  503: ["SlowDown", "Please reduce your request rate."],
};

const NOTIFY_ERRORS: Record<number, string> = {
  400: "BadRequestError",
  403: "AuthError",
  429: "RateLimitError",
  500: "ServerError",
};

/**
 * Answers with the fault in `step` if it is one that replaces the response (a status or a hang).
 * Returns true when the request is dealt with; steps that only shape an upload return false.
 */
export async function answerFault(
  ctx: ServiceContext,
  res: ServerResponse,
  step: FaultStep | undefined,
  style: ErrorStyle,
  resource = "",
): Promise<boolean> {
  if (!step) return false;
  await sleep(step.delayMs ?? 0);
  if (step.hang) {
    ctx.hanging.add(res);
    res.on("close", () => ctx.hanging.delete(res));
    return true;
  }
  if (step.status === undefined) return false;
  const status = step.status;
  const headers: Record<string, string> = {};
  if (step.retryAfter !== undefined) headers["retry-after"] = String(step.retryAfter);
  else if (status === 429) headers["retry-after"] = String(ctx.faults.config.retryAfterS);

  if (style === "location") {
    const [code, message] = S3_CODES[status] ?? ["ServiceError", TITLES[status] ?? "Error"];
    sendS3Error(res, status, code, step.detail ?? message, resource, headers);
  } else if (style === "notify") {
    const message =
      step.detail ?? (status === 429 ? "Exceeded rate limit for key type NORMAL" : (TITLES[status] ?? "Error"));
    sendJson(
      res,
      status,
      { errors: [{ error: NOTIFY_ERRORS[status] ?? "Error", message }], status_code: status },
      headers,
    );
  } else if (status === 429) {
    // The gateway answers rate limits itself, in its own shape.
    sendJson(
      res,
      429,
      { message: "API rate limit exceeded", ...jsonApiError(429, TITLES[429], "API rate limit exceeded") },
      headers,
    );
  } else {
    const title = TITLES[status] ?? "Error";
    sendJson(res, status, jsonApiError(status, title, step.detail ?? title), headers);
  }
  return true;
}
