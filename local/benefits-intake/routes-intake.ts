// The Benefits Intake API v1 endpoints (docs/design.md §5) and the upload location they hand out.

import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { UPLOAD_STATUSES, type UploadStatus } from "@/lib/benefits-intake/types";
import { answerFault, countRequest, type ServiceContext } from "./context";
import {
  BodyTooLargeError,
  headerValue,
  jsonApiError,
  readBody,
  readJson,
  requestOrigin,
  sendJson,
  sendS3Error,
} from "./http-utils";
import { validatePackage } from "./package-validation";
import { checkPdf, MAX_DOCUMENT_BYTES } from "./pdf-check";
import { computeStatus, type StatusView } from "./upload-store";

export const API_BASE_PATH = "/services/vba_documents/v1";
const REPORT_MAX_IDS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function resource(view: StatusView, location: string | null, withUpdatedAt = true) {
  return {
    id: view.uuid,
    type: "document_upload",
    attributes: {
      guid: view.uuid,
      status: view.status,
      code: view.code ?? null,
      detail: view.detail ?? null,
      location,
      updated_at: withUpdatedAt ? new Date(view.updatedAt).toISOString() : null,
    },
  };
}

/** The gateway's answer to a missing or wrong `apikey`, before the API sees the request. */
export function checkApiKey(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse): boolean {
  const key = headerValue(req, "apikey");
  if (key === ctx.options.apiKey) return true;
  const message = key ? "Invalid authentication credentials" : "No API key found in request";
  sendJson(res, 401, { message, ...jsonApiError(401, "Unauthorized", message) });
  return false;
}

async function createUpload(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse) {
  const { options } = ctx;
  const record = ctx.store.create(ctx.now(), options);
  const origin = requestOrigin(req, `http://${options.host}:${options.port}`);
  const location = origin + ctx.signer.path(record.uuid, record.locationExpiresAt);
  sendJson(res, 202, { data: resource(computeStatus(record, ctx.now()), location) });
}

async function getStatus(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse, id: string) {
  const record = ctx.store.get(id);
  if (!record) {
    const detail = `The record identified by ${id.slice(0, 64)} could not be found`;
    return sendJson(res, 404, jsonApiError(404, "Record not found", detail));
  }
  const override = headerValue(req, "status-override");
  if (override !== undefined) {
    // The sandbox lets a consumer move its own upload to any status to test its handling.
    if (!(UPLOAD_STATUSES as readonly string[]).includes(override)) {
      const detail = `"${override.slice(0, 20)}" is not a valid value for "Status-Override"`;
      return sendJson(res, 400, jsonApiError(400, "Invalid field value", detail, "103"));
    }
    record.override = { status: override as UploadStatus, at: ctx.now() };
  }
  sendJson(res, 200, { data: resource(computeStatus(record, ctx.now()), null) });
}

async function getReport(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse) {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return sendJson(res, 400, jsonApiError(400, "Malformed JSON", "The request body is not valid JSON"));
  }
  const ids = (body as { ids?: unknown } | undefined)?.ids;
  if (ids === undefined || ids === null) {
    return sendJson(
      res,
      400,
      jsonApiError(400, "Missing parameter", 'The required parameter "ids", is missing', "108"),
    );
  }
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string") || ids.length > REPORT_MAX_IDS) {
    const size = Array.isArray(ids) ? ` (got ${ids.length})` : "";
    const detail = `"ids" must be a list of at most ${REPORT_MAX_IDS} upload ids${size}`;
    return sendJson(res, 400, jsonApiError(400, "Invalid field value", detail, "103"));
  }
  ctx.reportSizes.push(ids.length);
  if (ctx.reportSizes.length > 1000) ctx.reportSizes.shift();
  const now = ctx.now();
  const data = (ids as string[]).map((id) => {
    const record = ctx.store.get(id);
    if (record) return resource(ctx.store.reportView(record, now, ctx.options.reportCacheMs), null);
    // Unknown ids are answered, not dropped, so a consumer can tell "unknown" from "missing".
    return resource(
      { uuid: id, status: "error", code: "DOC105", detail: "Invalid or unknown id", updatedAt: 0 },
      null,
      false,
    );
  });
  sendJson(res, 200, { data });
}

async function validateDocument(req: IncomingMessage, res: ServerResponse) {
  const fail = (detail: string) =>
    sendJson(res, 422, { errors: [{ title: "Document failed validation", detail, status: "422" }] });
  let body: Buffer;
  try {
    body = await readBody(req, MAX_DOCUMENT_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return fail("Document exceeds the file size limit of 100 MB");
    throw err;
  }
  if (body.length === 0) return fail("Document was not provided");
  const contentType = headerValue(req, "content-type")?.split(";")[0].trim().toLowerCase();
  if (contentType !== "application/pdf") return fail("Document is not a PDF");
  const result = await checkPdf(body, "document");
  if (!result.ok) return fail(result.detail);
  sendJson(res, 200, { data: { type: "documentValidation", attributes: { status: "valid" } } });
}

async function putUpload(ctx: ServiceContext, req: IncomingMessage, res: ServerResponse, url: URL, uuid: string) {
  const resourceName = `/vba_documents/${uuid}`;
  let body: Buffer;
  try {
    body = await readBody(req, ctx.options.maxPayloadBytes);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    return sendS3Error(
      res,
      400,
      "EntityTooLarge",
      "Your proposed upload exceeds the maximum allowed size",
      resourceName,
    );
  }
  if (!ctx.signer.verify(uuid, url.searchParams.get("expires"), url.searchParams.get("signature"))) {
    const message = "The request signature we calculated does not match the signature you provided.";
    return sendS3Error(res, 403, "SignatureDoesNotMatch", message, resourceName);
  }
  const record = ctx.store.get(uuid);
  if (!record) return sendS3Error(res, 403, "AccessDenied", "Unknown upload location", resourceName);
  record.putCount += 1;

  const fault = ctx.faults.take("upload");
  if (await answerFault(ctx, res, fault, "location", resourceName)) return;

  const now = ctx.now();
  if (now >= record.locationExpiresAt)
    return sendS3Error(res, 403, "AccessDenied", "Request has expired", resourceName);
  if (record.uploadedAt !== undefined) {
    return sendS3Error(res, 403, "AccessDenied", "Upload location has already been used", resourceName);
  }
  // Claimed before any await, so a concurrent second PUT to this location sees it as used.
  record.uploadedAt = now;

  const md5 = createHash("md5").update(body).digest("hex");
  const outcome = await validatePackage(body, headerValue(req, "content-type"));
  const end = fault?.endState ?? ctx.faults.randomEndState();
  // A lost package (end "expired") is never validated; a DOC202 end only applies to valid ones.
  record.processing =
    !outcome.ok && end !== "expired"
      ? { kind: "invalid", code: outcome.code, detail: outcome.detail }
      : { kind: "valid", end };
  record.md5 = md5;
  record.sizeBytes = body.length;
  record.metadata = outcome.metadata;
  record.documents = outcome.ok ? outcome.documents : undefined;
  record.acceptedPutCount += 1;
  await ctx.store.persist(record, body, outcome.parts);

  // A wrong ETag stands for a payload damaged on the way: the client must notice and resend.
  const etag = fault?.badEtag ? createHash("md5").update(`${md5}:damaged`).digest("hex") : md5;
  res.writeHead(200, { etag: `"${etag}"`, "content-length": 0 });
  res.end();
}

/** Handles the request if it is one of ours; returns false to let the next router try. */
export async function handleIntake(
  ctx: ServiceContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const { pathname } = url;
  const method = req.method ?? "GET";

  const location = /^\/upload-locations\/([^/]+)$/.exec(pathname);
  if (location && method === "PUT" && UUID.test(location[1])) {
    countRequest(ctx, "upload");
    await putUpload(ctx, req, res, url, location[1].toLowerCase());
    return true;
  }
  if (!pathname.startsWith(`${API_BASE_PATH}/`)) return false;
  const rest = pathname.slice(API_BASE_PATH.length);

  type Route = { route: "create" | "status" | "report" | "validate"; run: () => Promise<unknown> };
  let match: Route | undefined;
  if (method === "POST" && rest === "/uploads") match = { route: "create", run: () => createUpload(ctx, req, res) };
  else if (method === "POST" && rest === "/uploads/report")
    match = { route: "report", run: () => getReport(ctx, req, res) };
  else if (method === "POST" && rest === "/uploads/validate_document") {
    match = { route: "validate", run: () => validateDocument(req, res) };
  } else if (method === "GET" && /^\/uploads\/[^/]+$/.test(rest)) {
    const id = safeDecode(rest.slice("/uploads/".length));
    match = { route: "status", run: () => getStatus(ctx, req, res, id) };
  }
  if (!match) return false;

  if (!checkApiKey(ctx, req, res)) return true;
  countRequest(ctx, match.route);
  if (await answerFault(ctx, res, ctx.faults.take(match.route), "api")) {
    req.resume(); // drain an unread body so the connection can be reused
    return true;
  }
  await match.run();
  return true;
}
