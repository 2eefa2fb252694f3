import type { Env } from "../env";
import { createDocumentStorage, type DocumentStorage } from "../pdf/storage";
import { createS3DocumentStorage, type S3StorageConfig } from "./s3-storage";
import { parseStorageUrl, STORAGE_URL_FORMAT_MESSAGE } from "./storage-url";

// Which document storage a process uses: the local folder (the default, one machine) or a bucket
// (STORAGE_URL, any number of machines). Callers get the DocumentStorage interface either way.

export type StorageConfig = { kind: "local"; dir: string } | ({ kind: "s3" } & S3StorageConfig);

export function storageConfigFromEnv(env: Env): StorageConfig {
  if (!env.STORAGE_URL) return { kind: "local", dir: env.STORAGE_DIR };
  const location = parseStorageUrl(env.STORAGE_URL);
  if (!location) throw new Error(`STORAGE_URL ${STORAGE_URL_FORMAT_MESSAGE}`); // parseEnv already refused it
  const endpoint = env.S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3;
  return {
    kind: "s3",
    ...location,
    endpoint,
    // S3-compatible servers ignore the region but the signature needs one; parseEnv requires it for AWS.
    region: env.AWS_REGION ?? "us-east-1",
    // Virtual-host addressing needs a DNS name per bucket, which a server of one's own rarely has.
    forcePathStyle: env.S3_FORCE_PATH_STYLE ?? endpoint !== undefined,
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            sessionToken: env.AWS_SESSION_TOKEN,
          }
        : undefined,
  };
}

export function createStorageFromConfig(config: StorageConfig): DocumentStorage {
  if (config.kind === "local") return createDocumentStorage(config.dir);
  const { kind: _kind, ...s3 } = config;
  return createS3DocumentStorage(s3);
}

let cached: { config: string; storage: DocumentStorage } | undefined;

/**
 * The process's storage, made once: an S3 client pools its connections, so building one per
 * request (as the local folder can afford) would open new sockets each time.
 */
export function getDocumentStorage(env: Env): DocumentStorage {
  const config = storageConfigFromEnv(env);
  const key = JSON.stringify(config);
  if (cached?.config !== key) cached = { config: key, storage: createStorageFromConfig(config) };
  return cached.storage;
}
