import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Db } from "@/db/client";
import { getIngestFile, recordIngestFile } from "@/db/queries/ingest-files";
import { type DocumentStorage, withTempDir } from "../pdf/storage";
import { type EVIDENCE_TYPES, LIMITS } from "./contract";

// An evidence file sent by its SHA-256 (PUT /api/ingest/files/{sha256}). The bytes go to a private
// temporary file while they are hashed and counted, never whole in memory; only bytes that match
// the hash they were sent under, and are a PDF, JPEG or PNG, reach storage, so a refused upload
// leaves nothing behind. Storage is content-addressed, so the key is the hash the records cite.

export type EvidenceOutcome =
  | { result: "stored" | "already_stored"; sha256: string; byteSize: number; contentType: string; released: number }
  | { result: "too_large"; limit: number }
  | { result: "hash_mismatch"; expected: string; actual: string }
  | { result: "unsupported_type" }
  | { result: "empty" };

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

class TooLarge extends Error {}

// The first bytes say what the file is; the name and the declared type are the sender's word.
export function sniffEvidenceType(head: Uint8Array): (typeof EVIDENCE_TYPES)[number] | null {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.subarray(0, 1024).toString("latin1").includes("%PDF-")) return "application/pdf";
  return null;
}

/** A request body as chunks (the DOM typings do not know a ReadableStream is async iterable). */
export async function* bodyChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Refused part way (too large): the rest is not wanted, so the upload is cancelled, not drained.
    if (!finished) await reader.cancel().catch(() => {});
  }
}

/** Where the file-PUT meets storage: the verified temporary file, streamed into the storage. */
async function storeVerified(storage: DocumentStorage, file: string) {
  return storage.putStream(createReadStream(file));
}

export async function receiveEvidenceFile(
  db: Db,
  storage: DocumentStorage,
  sha256: string,
  body: AsyncIterable<Uint8Array>,
  limit = LIMITS.fileBytes,
): Promise<EvidenceOutcome> {
  // Already verified once: the same hash is the same bytes, so the body need not be read again.
  const held = await getIngestFile(db, sha256);
  if (held)
    return { result: "already_stored", sha256, byteSize: held.byteSize, contentType: held.contentType, released: 0 };
  return withTempDir(async (dir) => {
    const file = path.join(dir, "evidence");
    const hash = createHash("sha256");
    let byteSize = 0;
    let head = Buffer.alloc(0);
    async function* counted() {
      for await (const chunk of body) {
        byteSize += chunk.byteLength;
        if (byteSize > limit) throw new TooLarge();
        if (head.length < 1024) head = Buffer.concat([head, Buffer.from(chunk.subarray(0, 1024 - head.length))]);
        hash.update(chunk);
        yield chunk;
      }
    }
    try {
      await pipeline(counted(), createWriteStream(file, { flags: "wx" }));
    } catch (error) {
      if (error instanceof TooLarge) return { result: "too_large", limit } as const;
      throw error;
    }
    if (byteSize === 0) return { result: "empty" } as const;
    const actual = hash.digest("hex");
    if (actual !== sha256) return { result: "hash_mismatch", expected: sha256, actual } as const;
    const contentType = sniffEvidenceType(head);
    if (!contentType) return { result: "unsupported_type" } as const;
    const stored = await storeVerified(storage, file);
    if (stored.sha256 !== sha256) throw new Error("storage hashed the verified file differently");
    const released = await db.transaction((tx) =>
      recordIngestFile(tx, { sha256, byteSize, contentType, storageKey: stored.storageKey }),
    );
    return { result: "stored", sha256, byteSize, contentType, released } as const;
  });
}
