import { createHash, randomBytes } from "node:crypto";
import { constants, createReadStream, createWriteStream } from "node:fs";
import { access, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

// Content-addressed storage for the stamped PDFs (docs/design.md §3, documents): the key is the SHA-256
// of the bytes, so the same PDF is stored once however many attempts produce it, and a stored
// file can never change under its key. Files live in ab/cd/<hash>.pdf so no directory gets huge.
// Production swaps this for object storage behind the same interface (lib/storage).

export type StoredDocument = { storageKey: string; sha256: string; byteSize: number };

/**
 * What every backend offers. There is no file path: object storage has none, so a caller that
 * needs the bytes reads or streams them, and the same code runs on one machine or many.
 */
export type DocumentStorage = {
  put(bytes: Uint8Array): Promise<StoredDocument>;
  /** For large files (evidence): hashed while it is written, never whole in memory. */
  putStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StoredDocument>;
  has(key: string): Promise<boolean>;
  /** Rejects with DocumentNotFoundError when nothing is stored under the key. */
  read(key: string): Promise<Buffer>;
  /** For large downloads: a Node stream; see webStream for a Response body. A missing document
   * errors the stream with DocumentNotFoundError before any byte, so it never reads as empty. */
  stream(key: string): Readable;
  webStream(key: string): ReadableStream<Uint8Array>;
  /** For readiness probes: resolves when the storage can be reached and written. */
  check(): Promise<void>;
};

/** The local folder also hands out file paths, for callers not yet moved to read/stream. */
export type LocalDocumentStorage = DocumentStorage & { path(key: string): string };

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 80))}: expected 64 lowercase hex characters`);
    this.name = "InvalidStorageKeyError";
  }
}

export class DocumentNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored document under ${key}`);
    this.name = "DocumentNotFoundError";
  }
}

const KEY = /^[0-9a-f]{64}$/;

/** Keys come from URLs and database rows: only a bare SHA-256 can ever name a file. */
export function assertStorageKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || !KEY.test(key)) throw new InvalidStorageKeyError(String(key));
}

/**
 * Passes chunks through while hashing them, so a stream is stored under its SHA-256 without
 * being held: `result()` is valid once the chunks have all been read.
 */
export function hashWhileReading(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxBytes = Number.POSITIVE_INFINITY,
) {
  const hash = createHash("sha256");
  let byteSize = 0;
  let done = false;
  async function* chunks() {
    for await (const chunk of source) {
      byteSize += chunk.byteLength;
      if (byteSize > maxBytes) throw new Error(`Document too large to store: over ${maxBytes} bytes`);
      hash.update(chunk);
      yield chunk;
    }
    done = true;
  }
  return {
    chunks: chunks(),
    result(): StoredDocument {
      if (!done) throw new Error("hashWhileReading: the source was not read to its end");
      const sha256 = hash.digest("hex");
      return { storageKey: sha256, sha256, byteSize };
    },
  };
}

export function createDocumentStorage(dir: string): LocalDocumentStorage {
  const root = path.resolve(dir);
  const pathOf = (key: string) => {
    assertStorageKey(key);
    return path.join(root, key.slice(0, 2), key.slice(2, 4), `${key}.pdf`);
  };
  const exists = async (file: string) => {
    try {
      await stat(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  };

  return {
    async put(bytes) {
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const file = pathOf(sha256);
      const stored = { storageKey: sha256, sha256, byteSize: bytes.byteLength };
      if (await exists(file)) return stored; // same bytes, same key: the stored file is never touched
      // Write then rename in the same directory: a reader sees the whole file or none, and two
      // workers storing the same PDF at once both end with the same complete file.
      const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await writeFile(temp, bytes, { flag: "wx" }).catch(async (error: NodeJS.ErrnoException) => {
          if (error.code !== "ENOENT") throw error;
          await mkdir(path.dirname(file), { recursive: true }); // a directory's first file
          await writeFile(temp, bytes, { flag: "wx" });
        });
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return stored;
    },
    async putStream(source) {
      // The temporary file sits in the root, on the same file system as its final place, so the
      // rename that publishes it is atomic.
      await mkdir(root, { recursive: true });
      const temp = path.join(root, `.incoming-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
      const hashing = hashWhileReading(source);
      try {
        await pipeline(hashing.chunks, createWriteStream(temp, { flags: "wx" }));
        const stored = hashing.result();
        const file = pathOf(stored.storageKey);
        if (await exists(file)) await rm(temp);
        else {
          await mkdir(path.dirname(file), { recursive: true });
          await rename(temp, file);
        }
        return stored;
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    // async, so a bad key is a rejected promise like any other read error
    has: async (key) => exists(pathOf(key)),
    read: async (key) => readFile(pathOf(key)).catch((error) => Promise.reject(notFound(error, key))),
    stream: (key) => streamFile(pathOf(key), key),
    webStream: (key) => Readable.toWeb(streamFile(pathOf(key), key)) as ReadableStream<Uint8Array>,
    async check() {
      await mkdir(root, { recursive: true });
      await access(root, constants.R_OK | constants.W_OK);
    },
    path: pathOf,
  };
}

const notFound = (error: unknown, key: string) =>
  (error as NodeJS.ErrnoException).code === "ENOENT" ? new DocumentNotFoundError(key) : error;

// The file is opened on the first read, so a missing one errors the stream with the typed error.
function streamFile(file: string, key: string): Readable {
  async function* chunks() {
    try {
      yield* createReadStream(file);
    } catch (error) {
      throw notFound(error, key);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/**
 * Runs fn with a fresh private temporary directory and removes it afterwards, whether fn
 * succeeds or throws: working files of a backup attempt never outlive it (docs/design.md §4, step 6).
 */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>, prefix = "claim-triage-"): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
