// Client for the Lighthouse Benefits Intake API v1 (docs/design.md §5). Config is passed in, never read
// from the environment here, so tests, the worker and scripts can each point it somewhere else.
// Every failure comes out as a BenefitsIntakeError saying whether a retry can help.

import { createHash } from "node:crypto";
import { z } from "zod";
import { BenefitsIntakeError, classifyError, errorInitFromResponse } from "./errors";
import {
  type DocumentValidationResult,
  UPLOAD_STATUSES,
  type UploadLocation,
  type UploadPackage,
  type UploadPackageResult,
  type UploadStatus,
  type UploadStatusResult,
} from "./types";
import { encodeUploadPackage, uploadBody } from "./upload-body";

export const REPORT_MAX_IDS = 1000;

export interface BenefitsIntakeClientConfig {
  /** e.g. https://sandbox-api.va.gov/services/vba_documents/v1 */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** The PUT of a large package may need longer than the other calls; defaults to timeoutMs. */
  uploadTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface GetUploadStatusOptions {
  /** Sandbox only: moves the upload to this status (the `Status-Override` header). */
  statusOverride?: UploadStatus;
}

export interface BenefitsIntakeClient {
  createUpload(): Promise<UploadLocation>;
  uploadPackage(location: string, pkg: UploadPackage): Promise<UploadPackageResult>;
  getUploadStatus(uuid: string, options?: GetUploadStatusOptions): Promise<UploadStatusResult>;
  getUploadReport(uuids: readonly string[]): Promise<UploadStatusResult[]>;
  validateDocument(bytes: Uint8Array): Promise<DocumentValidationResult>;
}

const statusResourceSchema = z.object({
  id: z.string().min(1),
  attributes: z.object({
    guid: z.string().nullish(),
    status: z.enum(UPLOAD_STATUSES),
    code: z.string().nullish(),
    detail: z.string().nullish(),
    location: z.string().nullish(),
    updated_at: z.string().nullish(),
  }),
});
const createResponseSchema = z.object({
  data: statusResourceSchema.extend({
    attributes: statusResourceSchema.shape.attributes.extend({ location: z.string().url() }),
  }),
});
const statusResponseSchema = z.object({ data: statusResourceSchema });
const reportResponseSchema = z.object({ data: z.array(statusResourceSchema) });
const validationErrorsSchema = z.object({
  errors: z.array(z.object({ detail: z.string().optional(), title: z.string().optional() })),
});

type StatusResource = z.infer<typeof statusResourceSchema>;

function toStatusResult(resource: StatusResource): UploadStatusResult {
  const { attributes } = resource;
  const updatedAt = attributes.updated_at ? new Date(attributes.updated_at) : null;
  return {
    uuid: resource.id,
    status: attributes.status,
    ...(attributes.code ? { code: attributes.code } : {}),
    ...(attributes.detail ? { detail: attributes.detail } : {}),
    updatedAt: updatedAt && !Number.isNaN(updatedAt.getTime()) ? updatedAt : null,
  };
}

/** A 2xx whose body is not what the API documents: most likely a proxy in the way, so retry. */
function parseBody<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BenefitsIntakeError({ kind: "transient", code: "BAD_RESPONSE", detail: `${what}: response is not JSON` });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join(".") || "body";
    throw new BenefitsIntakeError({ kind: "transient", code: "BAD_RESPONSE", detail: `${what}: unexpected ${where}` });
  }
  return parsed.data;
}

function normaliseEtag(etag: string | null): string | undefined {
  return etag?.trim().replace(/^W\//, "").replace(/"/g, "").toLowerCase() || undefined;
}

export function createBenefitsIntakeClient(config: BenefitsIntakeClientConfig): BenefitsIntakeClient {
  const baseUrl = config.baseUrl.replace(/\/+$/, "");
  const fetchImpl = config.fetch ?? fetch;

  async function send(
    url: string,
    init: RequestInit,
    timeoutMs: number,
    isAnswer: (status: number) => boolean = () => false,
  ): Promise<{ res: Response; text: string }> {
    try {
      const res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      // Reading the body is still under the same time-out signal.
      const text = await res.text();
      if (!res.ok && !isAnswer(res.status)) throw new BenefitsIntakeError(errorInitFromResponse(res, text));
      return { res, text };
    } catch (err) {
      const error = classifyError(err);
      if (error.code === "TIMEOUT") {
        throw new BenefitsIntakeError({
          ...error.toJSON(),
          detail: `request timed out after ${timeoutMs} ms`,
          cause: err,
        });
      }
      throw error;
    }
  }

  const apiHeaders = (extra: Record<string, string> = {}) => ({
    apikey: config.apiKey,
    accept: "application/json",
    ...extra,
  });

  async function postReport(ids: string[]): Promise<UploadStatusResult[]> {
    const { text } = await send(
      `${baseUrl}/uploads/report`,
      { method: "POST", headers: apiHeaders({ "content-type": "application/json" }), body: JSON.stringify({ ids }) },
      config.timeoutMs,
    );
    return parseBody(reportResponseSchema, text, "upload report").data.map(toStatusResult);
  }

  return {
    async createUpload() {
      const { text } = await send(`${baseUrl}/uploads`, { method: "POST", headers: apiHeaders() }, config.timeoutMs);
      const { data } = parseBody(createResponseSchema, text, "create upload");
      return { uuid: data.id, location: data.attributes.location };
    },

    async uploadPackage(location, pkg) {
      const encoded = encodeUploadPackage(pkg);
      const { contentType, byteLength } = encoded;
      const hash = createHash("md5");
      let readError: Error | undefined;
      // No apikey: the signed location is the authorisation, and it may be another host.
      let res: Response;
      try {
        ({ res } = await send(
          location,
          {
            method: "PUT",
            headers: { "content-type": contentType, "content-length": String(byteLength) },
            body: uploadBody(encoded, hash, (error) => (readError = error)),
            duplex: "half", // what fetch requires of a stream body; the response is read after it
          } as RequestInit,
          config.uploadTimeoutMs ?? config.timeoutMs,
        ));
      } catch (err) {
        // Our side failed mid-body: nothing complete was sent, and the next attempt stores the
        // documents again. Said as what it is, not as a network error.
        if (readError)
          throw new BenefitsIntakeError({
            kind: "transient",
            code: "DOCUMENT_UNREADABLE",
            detail: `a stored document could not be read for the upload (${readError.message})`,
            cause: readError,
          });
        // An expired location is a 403, but a fresh location fixes it: worth another attempt.
        if (err instanceof BenefitsIntakeError && err.httpStatus === 403 && /expired/i.test(err.detail)) {
          throw new BenefitsIntakeError({ ...err.toJSON(), kind: "transient", code: "LOCATION_EXPIRED", cause: err });
        }
        throw err;
      }
      const md5 = hash.digest("hex");
      const etag = normaliseEtag(res.headers.get("etag"));
      if (etag !== md5) {
        // What arrived is not what we sent (or we cannot tell): upload again on a fresh location.
        throw new BenefitsIntakeError({
          kind: "transient",
          httpStatus: res.status,
          code: "ETAG_MISMATCH",
          detail: etag ? "ETag does not match the MD5 of the payload sent" : "upload response has no ETag",
        });
      }
      return { md5, sizeBytes: byteLength };
    },

    async getUploadStatus(uuid, options = {}) {
      const headers = apiHeaders(options.statusOverride ? { "status-override": options.statusOverride } : {});
      const { text } = await send(
        `${baseUrl}/uploads/${encodeURIComponent(uuid)}`,
        { method: "GET", headers },
        config.timeoutMs,
      );
      return toStatusResult(parseBody(statusResponseSchema, text, "upload status").data);
    },

    async getUploadReport(uuids) {
      const unique = [...new Set(uuids)];
      const results: UploadStatusResult[] = [];
      // One chunk at a time: the report is a heavy call and 429 is the only signal of too much.
      for (let i = 0; i < unique.length; i += REPORT_MAX_IDS) {
        results.push(...(await postReport(unique.slice(i, i + REPORT_MAX_IDS))));
      }
      return results;
    },

    async validateDocument(bytes) {
      // 422 is the answer "Benefits Intake would reject this PDF", not a failure of the call.
      const { res, text } = await send(
        `${baseUrl}/uploads/validate_document`,
        { method: "POST", headers: apiHeaders({ "content-type": "application/pdf" }), body: bytes.slice() },
        config.uploadTimeoutMs ?? config.timeoutMs,
        (status) => status === 422,
      );
      if (res.ok) return { valid: true, problems: [] };
      const { errors } = parseBody(validationErrorsSchema, text, "validate document");
      const problems = errors.map((e) => e.detail ?? e.title ?? "document failed validation");
      return { valid: false, problems: problems.length ? problems : ["document failed validation"] };
    },
  };
}
