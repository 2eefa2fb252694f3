// STORAGE_URL names the bucket and the prefix every process shares (s3://bucket/prefix). Kept apart
// from the S3 client so lib/env.ts can check the value without loading the AWS SDK.

// S3's bucket naming rules; the prefix is kept to characters that need no escaping in a key.
const STORAGE_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/([A-Za-z0-9._\-/]*))?$/;

export const STORAGE_URL_FORMAT_MESSAGE =
  "must be s3://bucket or s3://bucket/prefix (bucket: 3-63 lowercase letters, digits, dots or hyphens; " +
  "prefix: letters, digits, . _ - / without . or .. segments)";

/** null when malformed. The prefix comes back empty or ending in one slash, ready to go before a key. */
export function parseStorageUrl(url: string): { bucket: string; prefix: string } | null {
  const match = STORAGE_URL.exec(url);
  if (!match) return null;
  const segments = (match[2] ?? "").split("/").filter(Boolean);
  if (segments.some((s) => s === "." || s === "..")) return null;
  return { bucket: match[1], prefix: segments.length ? `${segments.join("/")}/` : "" };
}
