import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { INGEST_TOKEN_MIN_LENGTH, ingestTokensSchema, isIngestTokenValid } from "@/lib/ingest/tokens";

// The system of record's service tokens: several at once (rotation), each long enough, compared as
// equal-length digests so neither the length nor a prefix of a token shows in the timing.

const A = "a".repeat(INGEST_TOKEN_MIN_LENGTH);
const B = `rotated-${"b".repeat(40)}`;

describe("INGEST_TOKENS", () => {
  it("is a comma-separated list, spaces trimmed, empty entries ignored", () => {
    expect(ingestTokensSchema.parse(` ${A} , ${B},,`)).toEqual([A, B]);
    expect(ingestTokensSchema.parse(undefined)).toEqual([]);
    expect(ingestTokensSchema.parse("")).toEqual([]);
  });

  it("refuses a token shorter than 32 characters, at start-up", () => {
    expect(ingestTokensSchema.safeParse(`${A},short`).success).toBe(false);
    expect(() => parseEnv({ NODE_ENV: "test", INGEST_TOKENS: "too-short" })).toThrow(/INGEST_TOKENS/);
    expect(parseEnv({ NODE_ENV: "test", INGEST_TOKENS: `${A},${B}` }).INGEST_TOKENS).toEqual([A, B]);
  });

  it("refuses a token with spaces or control characters", () => {
    expect(ingestTokensSchema.safeParse(`${A}\u0000`).success).toBe(false);
    expect(ingestTokensSchema.safeParse(`${A} ${A}`).success).toBe(false);
  });
});

describe("isIngestTokenValid", () => {
  const tokens = [A, B];
  it("accepts any configured token as a bearer token", () => {
    expect(isIngestTokenValid(`Bearer ${A}`, tokens)).toBe(true);
    expect(isIngestTokenValid(`bearer ${B}`, tokens)).toBe(true);
  });

  it.each([
    ["no header", null],
    ["empty", ""],
    ["no scheme", A],
    ["basic", `Basic ${A}`],
    ["a prefix", `Bearer ${A.slice(0, -1)}`],
    ["a longer token", `Bearer ${A}a`],
    ["two tokens", `Bearer ${A} ${B}`],
    ["a rotated-out token", `Bearer ${"c".repeat(40)}`],
  ])("refuses %s", (_name, header) => {
    expect(isIngestTokenValid(header, tokens)).toBe(false);
  });

  it("refuses everything when no token is configured", () => {
    expect(isIngestTokenValid(`Bearer ${A}`, [])).toBe(false);
  });
});
