import pino from "pino";
import { describe, expect, it } from "vitest";
import { errorFields, log } from "@/lib/log";

// The log is a second net for PII: keys that name a person are redacted at any of the first three
// levels, and an error is written as its name and codes, never its message (a driver's message
// quotes the statement's bound parameters).

function capture(write: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const stream = log[pino.symbols.streamSym as unknown as keyof typeof log] as unknown;
  const level = log.level;
  (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = { write: (s: string) => lines.push(s) };
  log.level = "debug";
  try {
    write();
  } finally {
    (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = stream;
    log.level = level;
  }
  return lines.map((l) => JSON.parse(l));
}

describe("log redaction", () => {
  it("redacts top-level, nested and twice-nested PII keys", () => {
    const [line] = capture(() =>
      log.info(
        {
          email: "top@example.com",
          fileNumber: "123456789",
          q: "Testperson",
          claim: { lastName: "Testperson", email: "nested@example.com" },
          batch: { filter: { q: "Testperson", veteranFirstName: "Alex" } },
        },
        "hello",
      ),
    );
    const text = JSON.stringify(line);
    expect(text).not.toMatch(/example\.com|123456789|Testperson|Alex/);
    expect(line.email).toBe("[redacted]");
    expect((line.claim as Record<string, unknown>).lastName).toBe("[redacted]");
    expect(((line.batch as Record<string, unknown>).filter as Record<string, unknown>).q).toBe("[redacted]");
  });

  it("writes an error as its name, SQLSTATE and constraint, never its message or stack", () => {
    const driver = Object.assign(new Error('duplicate key (file_number)=(123456789) "Testperson"'), {
      name: "PostgresError",
      code: "23505",
      constraint_name: "saved_claims_pkey",
      table_name: "saved_claims",
      detail: "Key (file_number)=(123456789) already exists.",
    });
    const wrapped = Object.assign(new Error("Failed query: select … params: Testperson,123456789"), {
      name: "DrizzleQueryError",
      cause: driver,
    });
    const lines = capture(() => {
      log.error({ claimId: 7, err: wrapped }, "server action failed");
      log.error({ error: "free text with Testperson" }, "a string passed as the error");
    });
    const text = lines.map((l) => JSON.stringify(l)).join("\n");
    expect(text).not.toMatch(/Testperson|123456789|Failed query|already exists/);
    expect(lines[0].err).toEqual({
      name: "DrizzleQueryError",
      cause: { name: "PostgresError", code: "23505", constraint: "saved_claims_pkey", table: "saved_claims" },
    });
    expect(lines[0].claimId).toBe(7);
  });

  it("keeps only identifier-like codes and network codes", () => {
    expect(
      errorFields(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432"), { code: "ECONNREFUSED" })),
    ).toEqual({ name: "Error", code: "ECONNREFUSED" });
    expect(errorFields(Object.assign(new Error("x"), { code: "not a code, Testperson" }))).toEqual({ name: "Error" });
    expect(errorFields("a message")).toEqual({ name: "string" });
    expect(errorFields(Object.assign(new Error("x"), { status: 503 }))).toEqual({ name: "Error", status: 503 });
  });
});
