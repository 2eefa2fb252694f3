import { getEnv } from "../env";
import { ndjsonLines } from "./lines";
import { ChunkPreparer, type PreparedChunk, prepareRecords, type RecordResult } from "./prepare-records";
import { isIngestTokenValid } from "./tokens";

// The HTTP edges of ingest: the service token, and a submissions body read within its limits. A body
// larger than allowed is refused from its declared length before any of it is read, and if it has
// none (chunked), as soon as the count passes the limit.

export const REQUEST_LIMITS = { records: 5_000, bytes: 20 * 1024 * 1024 } as const;
// The file import's chunk (lib/ingest/cli.ts): twice a request. Each chunk pays the same fixed costs
// under the ingest lock (its statements, settling its groups); in alternating runs of a
// million-record file, 10,000 records a chunk took 229 and 242 s against 263 and 246 s at 5,000,
// with less PostgreSQL CPU in both, and peak RSS about 500 MB against 320 MB (heap capped at 512 MB).
export const FILE_CHUNK_LIMITS = { records: 2 * REQUEST_LIMITS.records, bytes: 2 * REQUEST_LIMITS.bytes } as const;

const plain = (status: number, error: string, headers: Record<string, string> = {}) =>
  Response.json({ error }, { status, headers: { "Cache-Control": "no-store", ...headers } });

/** A refusal to answer with, or null when the request carries one of INGEST_TOKENS. */
export function refuseUnlessIngestToken(request: Request): Response | null {
  if (isIngestTokenValid(request.headers.get("authorization"), getEnv().INGEST_TOKENS)) return null;
  return plain(401, "A valid ingest token is required (Authorization: Bearer …).", {
    "WWW-Authenticate": 'Bearer realm="claim-triage-ingest"',
  });
}

export type SubmissionsBody = { ok: true; chunk: PreparedChunk } | { ok: false; response: Response };

const tooLarge = (what: string) =>
  ({
    ok: false,
    response: plain(
      413,
      `${what}: send at most ${REQUEST_LIMITS.records.toLocaleString("en-US")} records and 20 MB in one request.`,
    ),
  }) as const;

// Reads the body up to the limit; null when it goes past it (the rest is not read).
async function readLimited(request: Request, limit: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

type Format = "array" | "ndjson";

function formatOf(contentType: string | null, body: Buffer): Format | null {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json") return "array";
  if (["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"].includes(type))
    return "ndjson";
  if (type !== "" && type !== "text/plain") return null;
  const first = body
    .subarray(0, 64)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart()[0];
  return first === "[" ? "array" : "ndjson";
}

// Bodies are prepared one at a time, in the order they were read, each while earlier ones are
// written. Prepared side by side (each yields to the event loop every 50 records), requests sent at
// once finished preparing at once and then all wrote at once: PostgreSQL sat idle while the web
// server prepared, and the web server while PostgreSQL wrote, request after request. In turn, one
// request is written while the next is prepared.
let lastTurn: Promise<void> = Promise.resolve();

export async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const previous = lastTurn;
  let done!: () => void;
  lastTurn = new Promise<void>((resolve) => {
    done = resolve;
  });
  await previous;
  try {
    return await work();
  } finally {
    done();
  }
}

// The records come back prepared (prepare-records.ts), each as soon as it is parsed: an NDJSON
// line's parsed form is dropped once mapped, not kept with the other 4,999 until the body is read.
export async function readSubmissionsBody(request: Request, now = new Date()): Promise<SubmissionsBody> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > REQUEST_LIMITS.bytes) return tooLarge("The body is larger than 20 MB");
  const body = await readLimited(request, REQUEST_LIMITS.bytes);
  if (body === null) return tooLarge("The body is larger than 20 MB");
  return inTurn(() => prepareBody(request, body, now));
}

async function prepareBody(request: Request, body: Buffer, now: Date): Promise<SubmissionsBody> {
  const format = formatOf(request.headers.get("content-type"), body);
  if (!format) {
    return {
      ok: false,
      response: plain(415, "Send application/json (an array of records) or application/x-ndjson (one a line)."),
    };
  }
  if (format === "array") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch (error) {
      return {
        ok: false,
        response: plain(400, `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}`),
      };
    }
    if (!Array.isArray(parsed)) return { ok: false, response: plain(400, "The body must be a JSON array of records.") };
    if (parsed.length > REQUEST_LIMITS.records) return tooLarge(`The body holds ${parsed.length} records`);
    // Parsed whole already: nothing to drop early.
    const items = parsed.map((value, index) => ({ index, value }));
    return { ok: true, chunk: await prepareRecords(items, now) };
  }
  const preparer = new ChunkPreparer(now);
  for await (const line of ndjsonLines([body])) {
    if (preparer.size === REQUEST_LIMITS.records) return tooLarge("The body holds more records than allowed");
    await preparer.add(
      "value" in line ? { index: line.line, value: line.value } : { index: line.line, problems: line.problems },
    );
  }
  return { ok: true, chunk: preparer.finish() };
}

export function countResults(results: readonly RecordResult[]) {
  const counts = { created: 0, updated: 0, unchanged: 0, refused: 0 };
  for (const r of results) counts[r.result]++;
  return counts;
}
