// Small helpers for a node:http server that speaks JSON:API, the gateway's JSON and S3's XML.

import type { IncomingMessage, ServerResponse } from "node:http";

export interface JsonApiErrorBody {
  errors: { title: string; detail: string; code: string; status: string }[];
}

export function jsonApiError(status: number, title: string, detail: string, code?: string): JsonApiErrorBody {
  return { errors: [{ title, detail, code: code ?? String(status), status: String(status) }] };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The upload location behaves like an S3 pre-signed URL, so its errors are S3's XML. */
export function sendS3Error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  resource: string,
  headers: Record<string, string> = {},
): void {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message><Resource>${escapeXml(resource)}</Resource>` +
    `<RequestId>${Date.now().toString(16)}</RequestId></Error>`;
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(xml), ...headers });
  res.end(xml);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/**
 * Reads the whole body. Past `limit` the rest is still drained (so the client gets our answer
 * rather than a reset connection) and the promise rejects with BodyTooLargeError.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks, size))));
    req.on("error", reject);
  });
}

export async function readJson(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) return undefined;
  return JSON.parse(body.toString("utf8"));
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The origin the caller used to reach us, so locations we hand out work from its side. */
export function requestOrigin(req: IncomingMessage, fallback: string): string {
  const host = headerValue(req, "host");
  return host && /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? `http://${host}` : fallback;
}
