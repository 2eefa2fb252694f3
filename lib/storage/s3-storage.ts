import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { assertStorageKey, DocumentNotFoundError, type DocumentStorage, hashWhileReading } from "../pdf/storage";

// The document storage on S3 or an S3-compatible server (docs/design.md §8): every process, web or
// worker, on any machine, sees the same documents. Keys are content-addressed as in the local
// folder, and laid out the same way under the prefix (ab/cd/<sha256>.pdf), so an existing
// STORAGE_DIR moves to a bucket with one `aws s3 sync`.

export type S3StorageConfig = {
  bucket: string;
  /** Empty, or ending in "/". */
  prefix: string;
  region: string;
  /** Set for S3-compatible servers; unset for AWS itself. */
  endpoint?: string;
  /** Bucket in the path rather than the host name: what most S3-compatible servers expect. */
  forcePathStyle: boolean;
  /** Unset: the SDK's own chain (instance role, web identity, shared config). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

// Parts in flight per streamed upload: two keep the connection busy while the next part fills.
// (@aws-sdk/lib-storage's Upload concatenates each part afresh; measured with 120 MB streamed, the
// process grew by about 65 MiB with it and 28 with these reused buffers.)
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
// A single CopyObject copies at most 5 GiB; refusing more is clearer than failing after the upload.
const MAX_STREAMED_BYTES = 5 * 1024 ** 3;

type Multipart = { key: string; uploadId: string; sent: number; parts: CompletedPart[] };

/** Waits for every promise, then throws the first failure (Promise.all would not wait for the rest). */
async function settled(promises: Promise<unknown>[]) {
  const failed = (await Promise.allSettled(promises)).find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

export function createS3Client(config: S3StorageConfig): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Without these a server that stops answering would hold a download (and its job) forever.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

/** `client` is injectable so a process can share one (its sockets are pooled). */
export function createS3DocumentStorage(config: S3StorageConfig, client = createS3Client(config)): DocumentStorage {
  const { bucket, prefix } = config;
  const objectKey = (key: string) => {
    assertStorageKey(key);
    return `${prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}.pdf`;
  };

  const exists = async (objectName: string) => {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectName }));
      return true;
    } catch (error) {
      // A HEAD answer has no body, so a missing bucket is a 404 too; check() tells them apart.
      if (statusOf(error) === 404) return false;
      throw error;
    }
  };

  // S3 checks the bytes it received against the SHA-256 that names them.
  const putAt = (name: string, bytes: Uint8Array, sha256: string) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: name,
        Body: bytes,
        ChecksumSHA256: Buffer.from(sha256, "hex").toString("base64"),
      }),
    );

  // The last step of a write, under the content's own name. Writers of the same bytes may race to
  // it (two workers stamping the same evidence). When one's put or copy fails, the object it meant to
  // store may already be there, byte for byte, from another: then the write is done. Otherwise it is
  // written again (the same bytes: a repeat changes nothing), at most twice more. s3rver answers such
  // races with 500s and reset connections: its copy unlinks the existing file before writing it.
  const storeUnder = async (name: string, write: () => Promise<unknown>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (await isStored(name)) return;
        if (attempt === 3) throw error;
      }
    }
  };

  // Whether a write can be skipped. A HEAD that fails (a racing writer's copy in progress) is no
  // answer: the bytes are written, and storeUnder settles the race.
  const isStored = (name: string) => exists(name).catch(() => false);

  const startMultipart = async (): Promise<Multipart> => {
    const key = `${prefix}.incoming/${randomUUID()}`;
    const started = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    return { key, uploadId: started.UploadId!, sent: 0, parts: [] };
  };

  // Numbered when sent; marked handled at once, so a part that fails while the source is still
  // being read is not an unhandled rejection: settled() or the next await reports it.
  const sendPart = (multipart: Multipart, body: Buffer) => {
    const PartNumber = ++multipart.sent;
    const sent = client
      .send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: multipart.key,
          UploadId: multipart.uploadId,
          PartNumber,
          Body: body,
        }),
      )
      .then(({ ETag }) => multipart.parts.push({ PartNumber, ETag }));
    sent.catch(() => {});
    return sent;
  };

  // Checked against Content-Length at the end, so a body cut short is an error, never a short file.
  const getObject = (key: string) =>
    client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) })).catch((error) => {
      throw isMissingKey(error) ? new DocumentNotFoundError(key) : error;
    });

  async function* chunksOf(key: string): AsyncGenerator<Uint8Array> {
    const response = await getObject(key);
    let received = 0;
    for await (const chunk of response.Body as Readable) {
      received += chunk.byteLength;
      yield chunk;
    }
    if (response.ContentLength !== undefined && received !== response.ContentLength) {
      throw new Error(`Stored document ${key} ended after ${received} of ${response.ContentLength} bytes`);
    }
  }

  // Synchronous like the local folder's: a bad key throws at once, the request starts on first read.
  const stream = (key: string) => {
    objectKey(key);
    return Readable.from(chunksOf(key), { objectMode: false });
  };

  return {
    async put(bytes) {
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const result = { storageKey: sha256, sha256, byteSize: bytes.byteLength };
      const name = objectKey(result.sha256);
      // Same bytes, same key: the stored object is never rewritten.
      if (await isStored(name)) return result;
      await storeUnder(name, () => putAt(name, bytes, sha256));
      return result;
    },

    // The key is the hash, known only at the end. A source that fits in one part is hashed first
    // and put under its key; a larger one is uploaded in parts under a temporary name while it is
    // hashed, then copied inside the bucket (no byte travels again) and the temporary deleted.
    async putStream(source) {
      const hashing = hashWhileReading(source, MAX_STREAMED_BYTES);
      // QUEUE_SIZE part buffers, reused: memory stays at PART_SIZE x QUEUE_SIZE whatever the size.
      const buffers: Buffer[] = [];
      const sending: Promise<unknown>[] = [];
      let multipart: Multipart | undefined;
      let slot = 0;
      let filled = 0;
      try {
        for await (const chunk of hashing.chunks) {
          for (let at = 0; at < chunk.byteLength; ) {
            buffers[slot] ??= Buffer.allocUnsafe(PART_SIZE);
            const n = Math.min(chunk.byteLength - at, PART_SIZE - filled);
            buffers[slot].set(chunk.subarray(at, at + n), filled);
            filled += n;
            at += n;
            if (filled < PART_SIZE) continue;
            multipart ??= await startMultipart();
            sending[slot] = sendPart(multipart, buffers[slot]);
            slot = (slot + 1) % QUEUE_SIZE;
            filled = 0;
            await sending[slot]; // the next buffer is free once its part has been sent
          }
        }
        const stored = hashing.result();
        const name = objectKey(stored.sha256);
        if (!multipart) {
          if (!(await isStored(name)))
            await storeUnder(name, () =>
              putAt(name, (buffers[0] ?? Buffer.alloc(0)).subarray(0, filled), stored.sha256),
            );
          return stored;
        }
        if (filled > 0) sending[slot] = sendPart(multipart, buffers[slot].subarray(0, filled));
        await settled(sending);
        await client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: multipart.key,
            UploadId: multipart.uploadId,
            MultipartUpload: { Parts: multipart.parts.sort((a, b) => a.PartNumber! - b.PartNumber!) },
          }),
        );
        const CopySource = `${bucket}/${multipart.key}`;
        if (!(await isStored(name)))
          await storeUnder(name, () => client.send(new CopyObjectCommand({ Bucket: bucket, Key: name, CopySource })));
        return stored;
      } catch (error) {
        if (multipart) {
          await Promise.allSettled(sending); // parts still being sent would outlive the abort
          const { key, uploadId } = multipart;
          await client
            .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
            .catch(() => {});
        }
        throw error;
      } finally {
        // Best effort: a temporary object left by a crash is swept by a lifecycle rule on .incoming/.
        if (multipart)
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: multipart.key })).catch(() => {});
      }
    },

    // async, so a bad key is a rejected promise like any other read error
    has: async (key) => exists(objectKey(key)),
    // Into one buffer of the announced length: gathering chunks and concatenating them held every
    // evidence file twice at once (a 99 MB scan was ~200 MB of the worker's peak).
    async read(key) {
      const response = await getObject(key);
      const length = response.ContentLength;
      if (length === undefined) {
        const chunks: Uint8Array[] = [];
        for await (const chunk of response.Body as Readable) chunks.push(chunk);
        return Buffer.concat(chunks);
      }
      const bytes = Buffer.allocUnsafe(length);
      let received = 0;
      for await (const chunk of response.Body as Readable) {
        if (received + chunk.byteLength > length) throw new Error(`Stored document ${key} is longer than announced`);
        bytes.set(chunk, received);
        received += chunk.byteLength;
      }
      if (received !== length) throw new Error(`Stored document ${key} ended after ${received} of ${length} bytes`);
      return bytes;
    },
    stream,
    webStream: (key) => Readable.toWeb(stream(key)) as ReadableStream<Uint8Array>,
    async check() {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    },
  };
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

// NoSuchBucket is a 404 as well, but a configuration error, not a missing document.
const isMissingKey = (error: unknown) =>
  (error as Error).name === "NoSuchKey" || (statusOf(error) === 404 && (error as Error).name !== "NoSuchBucket");
