import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import { createStorageFromConfig, getDocumentStorage, storageConfigFromEnv } from "@/lib/storage";
import { parseStorageUrl } from "@/lib/storage/storage-url";

describe("parseStorageUrl", () => {
  it("splits the bucket from a prefix that ends in one slash", () => {
    expect(parseStorageUrl("s3://claim-docs")).toEqual({ bucket: "claim-docs", prefix: "" });
    expect(parseStorageUrl("s3://claim-docs/")).toEqual({ bucket: "claim-docs", prefix: "" });
    expect(parseStorageUrl("s3://claim-docs/prod")).toEqual({ bucket: "claim-docs", prefix: "prod/" });
    expect(parseStorageUrl("s3://claim.docs-1/prod//triage/")).toEqual({
      bucket: "claim.docs-1",
      prefix: "prod/triage/",
    });
  });

  it("refuses what is not an s3 URL with a valid bucket and a plain prefix", () => {
    for (const url of [
      "claim-docs",
      "https://claim-docs/prod",
      "s3://",
      "s3://ab",
      "s3://Claim-Docs",
      "s3://claim_docs",
      "s3://claim-docs/prod?x=1",
      "s3://claim-docs/a/../b",
      "s3://claim-docs/./b",
    ]) {
      expect(parseStorageUrl(url), url).toBeNull();
    }
  });
});

describe("storage configuration from the environment", () => {
  const base = { NODE_ENV: "test" };

  it("keeps the local folder by default", () => {
    const env = parseEnv({ ...base, STORAGE_DIR: "/srv/docs" });
    expect(storageConfigFromEnv(env)).toEqual({ kind: "local", dir: "/srv/docs" });
  });

  it("chooses object storage with STORAGE_URL, path-style when an endpoint is set", () => {
    const env = parseEnv({
      ...base,
      STORAGE_URL: "s3://claim-docs/prod",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      AWS_ACCESS_KEY_ID: "key",
      AWS_SECRET_ACCESS_KEY: "secret",
    });
    expect(storageConfigFromEnv(env)).toEqual({
      kind: "s3",
      bucket: "claim-docs",
      prefix: "prod/",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "key", secretAccessKey: "secret", sessionToken: undefined },
    });
  });

  it("on AWS itself: the region is required, addressing is virtual-host, credentials come from the SDK's chain", () => {
    const env = parseEnv({ ...base, STORAGE_URL: "s3://claim-docs", AWS_REGION: "us-gov-west-1" });
    expect(storageConfigFromEnv(env)).toMatchObject({
      kind: "s3",
      region: "us-gov-west-1",
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
    });
    expect(() => parseEnv({ ...base, STORAGE_URL: "s3://claim-docs" })).toThrow(
      /AWS_REGION: required with STORAGE_URL/,
    );
  });

  it("takes AWS_ENDPOINT_URL_S3 when S3_ENDPOINT is unset, and S3_FORCE_PATH_STYLE overrides the default", () => {
    const env = parseEnv({
      ...base,
      STORAGE_URL: "s3://claim-docs",
      AWS_ENDPOINT_URL_S3: "https://objects.example.test",
      S3_FORCE_PATH_STYLE: "false",
    });
    expect(storageConfigFromEnv(env)).toMatchObject({
      endpoint: "https://objects.example.test",
      forcePathStyle: false,
    });
  });

  it("stops start-up with a clear message for a bad or incomplete storage configuration", () => {
    const problems: [Record<string, string>, RegExp][] = [
      [{ STORAGE_URL: "claim-docs" }, /STORAGE_URL: must be s3:\/\/bucket/],
      [{ STORAGE_URL: "s3://claim-docs", S3_ENDPOINT: "not a url" }, /S3_ENDPOINT/],
      [
        { STORAGE_URL: "s3://claim-docs", S3_ENDPOINT: "http://s3.test", S3_FORCE_PATH_STYLE: "yes" },
        /S3_FORCE_PATH_STYLE/,
      ],
      [
        { STORAGE_URL: "s3://claim-docs", S3_ENDPOINT: "http://s3.test", AWS_ACCESS_KEY_ID: "key" },
        /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together/,
      ],
      [{ S3_ENDPOINT: "http://s3.test" }, /STORAGE_URL: required when S3_ENDPOINT/],
    ];
    for (const [vars, message] of problems) {
      expect(() => parseEnv({ ...base, ...vars }), JSON.stringify(vars)).toThrow(EnvError);
      expect(() => parseEnv({ ...base, ...vars }), JSON.stringify(vars)).toThrow(message);
    }
  });
});

describe("createStorageFromConfig", () => {
  it("gives callers the interface without a file path, whichever backend", () => {
    const local = createStorageFromConfig({ kind: "local", dir: "/tmp/claim-triage-unused" });
    const s3 = createStorageFromConfig({
      kind: "s3",
      bucket: "claim-docs",
      prefix: "",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:1",
      forcePathStyle: true,
    });
    for (const storage of [local, s3]) {
      expect(Object.keys(storage).sort()).toEqual(
        ["check", "has", "put", "putStream", "read", "stream", "webStream"]
          .concat(storage === local ? ["path"] : [])
          .sort(),
      );
    }
  });

  it("makes the process's storage once, so an S3 client's connections are reused", () => {
    const env = parseEnv({ NODE_ENV: "test", STORAGE_URL: "s3://claim-docs", S3_ENDPOINT: "http://127.0.0.1:1" });
    expect(getDocumentStorage(env)).toBe(getDocumentStorage(env));
    expect(getDocumentStorage(parseEnv({ NODE_ENV: "test" }))).not.toBe(getDocumentStorage(env));
  });
});
