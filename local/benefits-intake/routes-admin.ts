// Test and demo controls, under /_admin and behind the same apikey as the API:
//   GET  /_admin/uploads[/:uuid]   uploads with status and how many PUTs each received
//   GET  /_admin/notifications     e-mails received by the local VA Notify
//   GET  /_admin/faults            fault rates, timing and the scripted responses still queued
//   POST /_admin/faults            change rates/timing, queue `nextFailures`
//   POST /_admin/clock             `{ "advanceMs": n }` moves the service's clock forward
//   POST /_admin/reset             forget uploads, e-mails, script, clock shift; restore start-up faults
//   GET  /_admin/stats             requests per route and the sizes of recent report calls

import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ServiceContext } from "./context";
import { faultPatchSchema } from "./faults";
import { jsonApiError, readJson, sendJson } from "./http-utils";
import type { ResolvedOptions } from "./options";
import { checkApiKey } from "./routes-intake";
import { computeStatus, type UploadRecord } from "./upload-store";

export const ADMIN_BASE_PATH = "/_admin";

const clockSchema = z
  .object({
    advanceMs: z
      .number()
      .int()
      .min(0)
      .max(365 * 86_400_000),
  })
  .strict();

function uploadView(ctx: ServiceContext, record: UploadRecord) {
  const view = computeStatus(record, ctx.now());
  return {
    uuid: record.uuid,
    status: view.status,
    code: view.code ?? null,
    detail: view.detail ?? null,
    updatedAt: new Date(view.updatedAt).toISOString(),
    createdAt: new Date(record.createdAt).toISOString(),
    locationExpiresAt: new Date(record.locationExpiresAt).toISOString(),
    uploadedAt: record.uploadedAt === undefined ? null : new Date(record.uploadedAt).toISOString(),
    putCount: record.putCount,
    acceptedPutCount: record.acceptedPutCount,
    sizeBytes: record.sizeBytes ?? null,
    md5: record.md5 ?? null,
    metadata: record.metadata ?? null,
    documents: record.documents ?? [],
  };
}

export function settingsOf(options: ResolvedOptions) {
  const { stepMs, locationTtlMs, reportCacheMs, sandbox } = options;
  return { stepMs, locationTtlMs, reportCacheMs, sandbox };
}

async function readPatch<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<T | undefined> {
  let body: unknown;
  try {
    body = (await readJson(req)) ?? {};
  } catch {
    sendJson(res, 400, jsonApiError(400, "Malformed JSON", "The request body is not valid JSON"));
    return undefined;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    sendJson(res, 400, jsonApiError(400, "Invalid field value", detail));
    return undefined;
  }
  return parsed.data;
}

export async function handleAdmin(
  ctx: ServiceContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  initialSettings: ReturnType<typeof settingsOf>,
): Promise<boolean> {
  if (!url.pathname.startsWith(`${ADMIN_BASE_PATH}/`)) return false;
  if (!checkApiKey(ctx, req, res)) return true;
  const route = `${req.method} ${url.pathname.slice(ADMIN_BASE_PATH.length)}`;
  const faultState = () => ({
    faults: ctx.faults.config,
    settings: settingsOf(ctx.options),
    nextFailures: ctx.faults.pending(),
  });

  if (route === "GET /uploads") {
    sendJson(res, 200, { data: ctx.store.list().map((r) => uploadView(ctx, r)) });
  } else if (route.startsWith("GET /uploads/")) {
    const record = ctx.store.get(route.slice("GET /uploads/".length));
    if (record) sendJson(res, 200, { data: uploadView(ctx, record) });
    else sendJson(res, 404, jsonApiError(404, "Record not found", "No upload with that id"));
  } else if (route === "GET /notifications") {
    sendJson(res, 200, { data: ctx.notifications });
  } else if (route === "GET /faults") {
    sendJson(res, 200, faultState());
  } else if (route === "POST /faults") {
    const patch = await readPatch(req, res, faultPatchSchema);
    if (!patch) return true;
    ctx.faults.apply(patch);
    for (const key of ["stepMs", "locationTtlMs", "reportCacheMs"] as const) {
      if (patch[key] !== undefined) ctx.options[key] = patch[key];
    }
    if (patch.sandbox !== undefined) ctx.options.sandbox = patch.sandbox;
    sendJson(res, 200, faultState());
  } else if (route === "POST /clock") {
    const patch = await readPatch(req, res, clockSchema);
    if (!patch) return true;
    ctx.clock.offsetMs += patch.advanceMs;
    sendJson(res, 200, { offsetMs: ctx.clock.offsetMs, now: new Date(ctx.now()).toISOString() });
  } else if (route === "POST /reset") {
    ctx.store.clear();
    ctx.notifications.length = 0;
    ctx.faults.reset();
    Object.assign(ctx.options, initialSettings);
    ctx.clock.offsetMs = 0;
    ctx.requestCounts = {};
    ctx.reportSizes = [];
    sendJson(res, 200, faultState());
  } else if (route === "GET /stats") {
    sendJson(res, 200, { requests: ctx.requestCounts, reportSizes: ctx.reportSizes, uploads: ctx.store.list().length });
  } else {
    sendJson(res, 404, jsonApiError(404, "Not found", "Unknown admin endpoint"));
  }
  return true;
}
