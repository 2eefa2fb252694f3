import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDocumentStorage,
  DocumentNotFoundError,
  type DocumentStorage,
  InvalidStorageKeyError,
} from "@/lib/pdf/storage";
import { createS3Client, createS3DocumentStorage } from "@/lib/storage/s3-storage";
import { type S3TestServer, startS3Server } from "../support/s3-server";

// One contract, both backends: whatever a caller may rely on holds for the local folder and for
// object storage alike. The S3 side runs against a real S3-compatible server (s3rver), not a mock.

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const MiB = 1024 * 1024;

type Backend = {
  storage: DocumentStorage;
  /** Temporary uploads still lying around (there should be none after any put). */
  leftovers(): Promise<string[]>;
  stop(): Promise<void>;
};

async function localBackend(): Promise<Backend> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "claim-triage-storage-"));
  return {
    storage: createDocumentStorage(dir),
    leftovers: async () => (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".tmp")),
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function s3Backend(server: S3TestServer): Promise<Backend> {
  const config = server.storageConfig("claim-triage/documents/");
  const client = createS3Client(config);
  return {
    storage: createS3DocumentStorage(config, client),
    async leftovers() {
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: config.bucket, Prefix: `${config.prefix}.incoming/` }),
      );
      return (listed.Contents ?? []).map((o) => o.Key!);
    },
    stop: async () => client.destroy(),
  };
}

async function* generated(totalBytes: number, chunkBytes: number, hash = createHash("sha256")) {
  for (let sent = 0; sent < totalBytes; sent += chunkBytes) {
    const chunk = randomBytes(Math.min(chunkBytes, totalBytes - sent));
    hash.update(chunk);
    yield chunk;
  }
}

async function hashOf(stream: AsyncIterable<Uint8Array>) {
  const hash = createHash("sha256");
  let byteSize = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    byteSize += chunk.byteLength;
  }
  return { sha256: hash.digest("hex"), byteSize };
}

let server: S3TestServer;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => server?.stop());

describe.each([
  { name: "local folder", start: localBackend },
  { name: "S3 (s3rver)", start: () => s3Backend(server) },
])("document storage contract: $name", ({ start }) => {
  let backend: Backend;
  let storage: DocumentStorage;
  beforeAll(async () => {
    backend = await start();
    storage = backend.storage;
  });
  afterAll(async () => backend?.stop());

  it("is reachable", async () => {
    await expect(storage.check()).resolves.toBeUndefined();
  });

  it("stores bytes under their SHA-256 and gives them back by read, stream and webStream", async () => {
    const bytes = Buffer.from(`%PDF-1.7 contract ${randomBytes(8).toString("hex")}`);
    const key = sha(bytes);
    expect(await storage.has(key)).toBe(false);
    expect(await storage.put(bytes)).toEqual({ storageKey: key, sha256: key, byteSize: bytes.length });
    expect(await storage.has(key)).toBe(true);
    expect(await storage.read(key)).toEqual(bytes);
    expect(await hashOf(storage.stream(key))).toEqual({ sha256: key, byteSize: bytes.length });
    expect(Buffer.from(await new Response(storage.webStream(key)).arrayBuffer())).toEqual(bytes);
    expect(await backend.leftovers()).toEqual([]);
  });

  it("stores the same bytes once, whether put again, at once, or streamed", async () => {
    const bytes = randomBytes(300_000);
    const first = await storage.put(bytes);
    const again = await Promise.all([storage.put(bytes), storage.put(Buffer.from(bytes))]);
    expect(again).toEqual([first, first]);
    expect(await storage.putStream(generatedFrom(bytes, 64 * 1024))).toEqual(first);
    expect((await storage.read(first.storageKey)).equals(bytes)).toBe(true);
    expect((await storage.put(Buffer.from("other bytes"))).storageKey).not.toBe(first.storageKey);
    expect(await backend.leftovers()).toEqual([]);
  });

  it("writes concurrently streamed new content completely", async () => {
    const bytes = randomBytes(12 * MiB); // more than one multipart part
    const results = await Promise.all(Array.from({ length: 8 }, () => storage.putStream(generatedFrom(bytes, MiB))));
    expect(results.map((r) => r.storageKey)).toEqual(Array(8).fill(sha(bytes)));
    expect((await storage.read(sha(bytes))).equals(bytes)).toBe(true);
    expect(await backend.leftovers()).toEqual([]);
  });

  it("is done with each streamed chunk once it asks for the next (the PDF thread refills its buffers)", async () => {
    const bytes = randomBytes(12 * MiB);
    // One buffer for every chunk, overwritten with the next chunk's bytes as soon as it is asked
    // for: what storage kept of an earlier chunk without writing or copying it would come out wrong.
    async function* reusing() {
      const buffer = Buffer.alloc(MiB);
      for (let at = 0; at < bytes.length; at += MiB) {
        bytes.copy(buffer, 0, at, at + MiB);
        yield buffer;
        buffer.fill(0);
      }
    }
    const stored = await storage.putStream(reusing());
    expect(stored.storageKey).toBe(sha(bytes));
    expect((await storage.read(stored.storageKey)).equals(bytes)).toBe(true);
  });

  it("reports a missing document as DocumentNotFoundError from read, stream and webStream", async () => {
    const key = sha(randomBytes(16));
    expect(await storage.has(key)).toBe(false);
    await expect(storage.read(key)).rejects.toBeInstanceOf(DocumentNotFoundError);
    await expect(hashOf(storage.stream(key))).rejects.toBeInstanceOf(DocumentNotFoundError);
    await expect(new Response(storage.webStream(key)).arrayBuffer()).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it("refuses keys that are not a bare SHA-256", async () => {
    for (const key of ["../secret", "../../etc/passwd", `${"a".repeat(62)}/..`, "A".repeat(64), "a".repeat(63), ""]) {
      await expect(storage.has(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      expect(() => storage.stream(key)).toThrow(InvalidStorageKeyError);
      expect(() => storage.webStream(key)).toThrow(InvalidStorageKeyError);
    }
  });

  it("stores nothing, and leaves no temporary behind, when the source fails mid-stream", async () => {
    async function* failing() {
      yield* generated(10 * MiB, MiB); // past the first multipart part
      throw new Error("evidence source broke");
    }
    await expect(storage.putStream(failing())).rejects.toThrow("evidence source broke");
    expect(await backend.leftovers()).toEqual([]);
  });

  it("streams 120 MB in and out without holding it in memory", async () => {
    const size = 120 * MiB;
    const hash = createHash("sha256");
    await storage.putStream(generated(9 * MiB, MiB)); // first use loads code and buffers: not counted
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 20);
    try {
      const stored = await storage.putStream(generated(size, MiB, hash));
      const expected = hash.digest("hex");
      expect(stored).toEqual({ storageKey: expected, sha256: expected, byteSize: size });
      expect(await storage.has(expected)).toBe(true);
      expect(await hashOf(storage.stream(expected))).toEqual({ sha256: expected, byteSize: size });
    } finally {
      clearInterval(sampler);
    }
    const grewMiB = (peak - before) / MiB;
    console.info(`storage: 120 MB streamed in and out, RSS grew by ${grewMiB.toFixed(0)} MiB`);
    expect(grewMiB).toBeLessThan(60); // the file is 120: buffers of a few parts at most
    expect(await backend.leftovers()).toEqual([]);
  });
});

async function* generatedFrom(bytes: Buffer, chunkBytes: number) {
  for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
}

describe("S3 storage beyond the contract", () => {
  it("lays objects out as the local folder does, under the prefix", async () => {
    const config = server.storageConfig("layout/check/");
    const client = createS3Client(config);
    try {
      const stored = await createS3DocumentStorage(config, client).put(Buffer.from("layout"));
      const listed = await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: "layout/" }));
      const key = stored.storageKey;
      expect(listed.Contents?.map((o) => o.Key)).toEqual([
        `layout/check/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}.pdf`,
      ]);
    } finally {
      client.destroy();
    }
  });

  it("reports a missing bucket as what it is, not as a missing document", async () => {
    const storage = createS3DocumentStorage({ ...server.storageConfig(), bucket: "no-such-bucket" });
    await expect(storage.check()).rejects.toThrow();
    const read = storage.read(sha(Buffer.from("x")));
    await expect(read).rejects.toThrow(/bucket does not exist/);
    await expect(read).rejects.not.toBeInstanceOf(DocumentNotFoundError);
  });

  it("errors a download cut off midway: it never ends as a shorter file", async () => {
    const own = await startS3Server();
    try {
      const storage = createS3DocumentStorage(own.storageConfig());
      const size = 32 * MiB; // far more than socket buffers hold
      const stored = await storage.putStream(generated(size, MiB));
      let received = 0;
      const reading = (async () => {
        for await (const chunk of storage.stream(stored.storageKey)) {
          if (received === 0) own.kill(); // the server dies once the download has begun
          received += chunk.byteLength;
        }
      })();
      await expect(reading).rejects.toThrow();
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(size);
    } finally {
      await own.stop();
    }
  });
});
