import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

// Content-addressed storage for the stamped PDFs (docs/design.md §3, documents): the key is the SHA-256
// of the bytes, so the same PDF is stored once however many attempts produce it, and a stored
// file can never change under its key. Files live in ab/cd/<hash>.pdf so no directory gets huge.
// Production can swap this for object storage behind the same interface.

export type StoredDocument = { storageKey: string; sha256: string; byteSize: number };

export type DocumentStorage = {
  put(bytes: Uint8Array): Promise<StoredDocument>;
  has(key: string): Promise<boolean>;
  read(key: string): Promise<Buffer>;
  /** For large downloads: a Node stream; see webStream for a Response body. */
  stream(key: string): Readable;
  webStream(key: string): ReadableStream<Uint8Array>;
  path(key: string): string;
};

export class InvalidStorageKeyError extends Error {
  constructor(key: string) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 80))}: expected 64 lowercase hex characters`);
    this.name = "InvalidStorageKeyError";
  }
}

const KEY = /^[0-9a-f]{64}$/;

/** Keys come from URLs and database rows: only a bare SHA-256 can ever name a file. */
export function assertStorageKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || !KEY.test(key)) throw new InvalidStorageKeyError(String(key));
}

export function createDocumentStorage(dir: string): DocumentStorage {
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
    // async, so a bad key is a rejected promise like any other read error
    has: async (key) => exists(pathOf(key)),
    read: async (key) => readFile(pathOf(key)),
    stream: (key) => createReadStream(pathOf(key)),
    webStream: (key) => Readable.toWeb(createReadStream(pathOf(key))) as ReadableStream<Uint8Array>,
    path: pathOf,
  };
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
