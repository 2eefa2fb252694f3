// Typed failures for the outside services the backup flow calls (Benefits Intake, VA Notify).
// The worker only needs one decision from an error: retry later (transient) or stop and tell the
// veteran (permanent). Everything else here is detail for the attempt record and the triage list.

export type ErrorKind = "transient" | "permanent";
export type ServiceName = "benefits-intake" | "va-notify";

export interface ServiceErrorInit {
  kind: ErrorKind;
  httpStatus?: number;
  /** The service's own error code (DOC102, an S3 code such as AccessDenied, ETAG_MISMATCH…). */
  code?: string;
  detail: string;
  /** How long the service asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class ServiceError extends Error {
  readonly service: ServiceName;
  readonly kind: ErrorKind;
  readonly httpStatus?: number;
  readonly code?: string;
  readonly detail: string;
  readonly retryAfterMs?: number;

  constructor(service: ServiceName, init: ServiceErrorInit) {
    const parts = [init.httpStatus ? `HTTP ${init.httpStatus}` : undefined, init.code].filter(Boolean);
    super(`${service} ${init.kind} error${parts.length ? ` (${parts.join(", ")})` : ""}: ${init.detail}`, {
      cause: init.cause,
    });
    this.name = "ServiceError";
    this.service = service;
    this.kind = init.kind;
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.detail = init.detail;
    this.retryAfterMs = init.retryAfterMs;
  }

  get transient(): boolean {
    return this.kind === "transient";
  }

  /** What the attempt record stores; no request data, so no PII. */
  toJSON() {
    return {
      service: this.service,
      kind: this.kind,
      httpStatus: this.httpStatus,
      code: this.code,
      detail: this.detail,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

export class BenefitsIntakeError extends ServiceError {
  constructor(init: ServiceErrorInit) {
    super("benefits-intake", init);
    this.name = "BenefitsIntakeError";
  }
}

/** 408, 429 and 5xx are worth retrying; any other 4xx will fail the same way again. */
export function kindForHttpStatus(status: number): ErrorKind {
  return status === 408 || status === 429 || status >= 500 ? "transient" : "permanent";
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

interface BodyDescription {
  code?: string;
  detail?: string;
}

/**
 * Pulls a code and a message out of the error bodies these services send: JSON:API
 * `errors: [{ title, detail, code, status }]`, the gateway's `{ message }`, VA Notify's
 * `errors: [{ error, message }]`, and the S3-style XML `<Error><Code/><Message/></Error>` the
 * upload location answers with.
 */
export function describeErrorBody(text: string, httpStatus?: number): BodyDescription {
  const trimmed = text.trim();
  if (!trimmed) return {};
  if (trimmed.startsWith("<")) {
    const code = /<Code>([^<]*)<\/Code>/.exec(trimmed)?.[1];
    const detail = /<Message>([^<]*)<\/Message>/.exec(trimmed)?.[1];
    return { code, detail };
  }
  try {
    const body = JSON.parse(trimmed) as Record<string, unknown>;
    const first = Array.isArray(body.errors) ? (body.errors[0] as Record<string, unknown> | undefined) : undefined;
    if (first && typeof first === "object") {
      const rawCode = stringOr(first.code) ?? stringOr(first.error);
      // Rails puts the HTTP status in `code` too; it says nothing the status does not.
      const code = rawCode && rawCode !== String(httpStatus) ? rawCode : undefined;
      const detail = stringOr(first.detail) ?? stringOr(first.message) ?? stringOr(first.title);
      return { code, detail };
    }
    return { detail: stringOr(body.message) ?? stringOr(body.Message) };
  } catch {
    // Not JSON (an HTML page from a proxy, say): keep a short excerpt only.
    return { detail: trimmed.slice(0, 200) };
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Turns a non-2xx response into error fields. `bodyText` is the response body already read. */
export function errorInitFromResponse(res: Response, bodyText: string, nowMs: number = Date.now()): ServiceErrorInit {
  const { code, detail } = describeErrorBody(bodyText, res.status);
  return {
    kind: kindForHttpStatus(res.status),
    httpStatus: res.status,
    code,
    detail: detail ?? (res.statusText || `HTTP ${res.status}`),
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), nowMs),
  };
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

function errorCode(err: unknown): string | undefined {
  if (err && typeof err === "object" && "code" in err && typeof err.code === "string") return err.code;
  return undefined;
}

/**
 * Fields for failures that never produced a response: time-outs, aborts and network errors are
 * transient; anything else (a bad URL, a bug) is permanent, because retrying cannot fix it and a
 * person has to look.
 */
export function errorInitFromThrown(err: unknown): ServiceErrorInit {
  if (err instanceof ServiceError) return { ...err.toJSON(), cause: err.cause };
  const name = err instanceof Error ? err.name : undefined;
  if (name === "TimeoutError") return { kind: "transient", code: "TIMEOUT", detail: "request timed out", cause: err };
  if (name === "AbortError") return { kind: "transient", code: "ABORTED", detail: "request aborted", cause: err };
  const cause = err instanceof Error ? err.cause : undefined;
  const netCode = errorCode(err) ?? errorCode(cause);
  const message = err instanceof Error ? err.message : String(err);
  if (
    (netCode && NETWORK_CODES.has(netCode)) ||
    (err instanceof TypeError && /fetch failed|terminated/.test(message))
  ) {
    return {
      kind: "transient",
      code: netCode ?? "NETWORK",
      detail: `network error: ${netCode ?? message}`,
      cause: err,
    };
  }
  return { kind: "permanent", detail: message || "unknown error", cause: err };
}

/** Any failure from the Benefits Intake client, or around it, as a BenefitsIntakeError. */
export function classifyError(err: unknown): BenefitsIntakeError {
  if (err instanceof BenefitsIntakeError) return err;
  return new BenefitsIntakeError(errorInitFromThrown(err));
}
