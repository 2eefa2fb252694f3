import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";

// The system of record's service tokens (INGEST_TOKENS): several, comma-separated, so a new one can
// be given to the source before the old one is removed. No session: a source is not a person.

export const INGEST_TOKEN_MIN_LENGTH = 32;

export const ingestTokensSchema = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((token) => token.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .min(INGEST_TOKEN_MIN_LENGTH, `each token must be at least ${INGEST_TOKEN_MIN_LENGTH} characters`)
        .regex(/^[\x21-\x7e]+$/, "each token must be printable ASCII without spaces"),
    ),
  );

const digest = (value: string) => createHash("sha256").update(value).digest();

// Compared as SHA-256 digests, so every comparison takes the same time whatever the lengths, and
// against every token, so the time does not say which one (or how much of one) matched.
export function isIngestTokenValid(authorization: string | null, tokens: readonly string[]): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match || tokens.length === 0) return false;
  const given = digest(match[1]);
  let ok = false;
  for (const token of tokens) ok = timingSafeEqual(given, digest(token)) || ok;
  return ok;
}
