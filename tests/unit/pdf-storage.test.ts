import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createDocumentStorage, hashWhileReading, InvalidStorageKeyError, withTempDir } from "@/lib/pdf/storage";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("createDocumentStorage", () => {
  it("stores bytes under their SHA-256 in sharded directories", async () => {
    await withTempDir(async (dir) => {
      const storage = createDocumentStorage(dir);
      const bytes = Buffer.from("%PDF-1.7 example");
      const stored = await storage.put(bytes);
      const key = sha(bytes);
      expect(stored).toEqual({ storageKey: key, sha256: key, byteSize: bytes.length });
      expect(storage.path(key)).toBe(path.join(dir, key.slice(0, 2), key.slice(2, 4), `${key}.pdf`));
      expect(await readFile(storage.path(key))).toEqual(bytes);
      expect(await storage.read(key)).toEqual(bytes);
      expect(await storage.has(key)).toBe(true);
      expect(await text(storage.stream(key))).toBe("%PDF-1.7 example");
      expect(Buffer.from(await new Response(storage.webStream(key)).arrayBuffer())).toEqual(bytes);
      // No temporary files left behind.
      expect(await readdir(path.dirname(storage.path(key)))).toEqual([`${key}.pdf`]);
    });
  });

  it("stores the same bytes once and leaves an existing file untouched", async () => {
    await withTempDir(async (dir) => {
      const storage = createDocumentStorage(dir);
      const bytes = Buffer.from("same content");
      const first = await storage.put(bytes);
      const before = await stat(storage.path(first.storageKey));
      const again = await Promise.all([storage.put(bytes), storage.put(Buffer.from(bytes))]);
      expect(again).toEqual([first, first]);
      expect((await stat(storage.path(first.storageKey))).mtimeMs).toBe(before.mtimeMs);
      const other = await storage.put(Buffer.from("other content"));
      expect(other.storageKey).not.toBe(first.storageKey);
    });
  });

  it("writes concurrently stored new content completely", async () => {
    await withTempDir(async (dir) => {
      const storage = createDocumentStorage(dir);
      const bytes = Buffer.alloc(2_000_000, 7);
      const results = await Promise.all(Array.from({ length: 5 }, () => storage.put(bytes)));
      expect(new Set(results.map((r) => r.storageKey)).size).toBe(1);
      expect((await storage.read(results[0].storageKey)).equals(bytes)).toBe(true);
      expect(await readdir(path.dirname(storage.path(results[0].storageKey)))).toHaveLength(1);
    });
  });

  it("rejects keys that are not a bare SHA-256 (path traversal)", async () => {
    await withTempDir(async (dir) => {
      const storage = createDocumentStorage(dir);
      const secret = path.join(dir, "secret.pdf");
      await writeFile(secret, "do not serve");
      for (const key of [
        "../secret",
        "../../etc/passwd",
        `${"a".repeat(62)}/..`,
        "A".repeat(64),
        "a".repeat(63),
        `${"a".repeat(64)}.pdf`,
        "",
        "ab/cd/ef",
      ]) {
        expect(() => storage.path(key)).toThrow(InvalidStorageKeyError);
        await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
        expect(() => storage.stream(key)).toThrow(InvalidStorageKeyError);
      }
      await expect(storage.has("a".repeat(64))).resolves.toBe(false);
    });
  });
});

describe("hashWhileReading", () => {
  it("passes the chunks through and names them by their SHA-256 once all are read", async () => {
    const hashing = hashWhileReading([Buffer.from("evi"), Buffer.from("dence")]);
    expect(() => hashing.result()).toThrow(/not read to its end/);
    const seen: Uint8Array[] = [];
    for await (const chunk of hashing.chunks) seen.push(chunk);
    expect(Buffer.concat(seen).toString()).toBe("evidence");
    const key = sha(Buffer.from("evidence"));
    expect(hashing.result()).toEqual({ storageKey: key, sha256: key, byteSize: 8 });
  });

  it("stops a source that grows past the cap", async () => {
    const hashing = hashWhileReading([Buffer.alloc(6), Buffer.alloc(6)], 10);
    await expect(async () => {
      for await (const _ of hashing.chunks);
    }).rejects.toThrow("Document too large to store: over 10 bytes");
  });
});

describe("withTempDir", () => {
  it("removes the directory after success and after failure", async () => {
    let kept = "";
    const result = await withTempDir(async (dir) => {
      kept = dir;
      await writeFile(path.join(dir, "work.pdf"), "x");
      return 42;
    });
    expect(result).toBe(42);
    expect(existsSync(kept)).toBe(false);

    await expect(
      withTempDir(async (dir) => {
        kept = dir;
        await writeFile(path.join(dir, "work.pdf"), "x");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(existsSync(kept)).toBe(false);
  });
});
