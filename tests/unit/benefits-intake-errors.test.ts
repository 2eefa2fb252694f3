import { describe, expect, it } from "vitest";
import {
  BenefitsIntakeError,
  classifyError,
  describeErrorBody,
  kindForHttpStatus,
  parseRetryAfter,
} from "@/lib/benefits-intake/errors";
import { VaNotifyError } from "@/lib/notify/va-notify-client";

describe("kindForHttpStatus", () => {
  it.each([
    [400, "permanent"],
    [401, "permanent"],
    [403, "permanent"],
    [404, "permanent"],
    [408, "transient"],
    [413, "permanent"],
    [422, "permanent"],
    [429, "transient"],
    [500, "transient"],
    [502, "transient"],
    [503, "transient"],
    [504, "transient"],
  ])("HTTP %i is %s", (status, kind) => {
    expect(kindForHttpStatus(status)).toBe(kind);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2024-05-01T12:00:00Z");
  it.each([
    ["120", 120_000],
    ["0", 0],
    [" 7 ", 7_000],
    ["1.5", 1_500],
    ["Wed, 01 May 2024 12:00:30 GMT", 30_000],
    ["Wed, 01 May 2024 11:59:00 GMT", 0], // a date in the past means "now"
    ["soon", undefined],
    ["", undefined],
    [null, undefined],
  ])("%j gives %j ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("describeErrorBody", () => {
  it.each([
    [
      "JSON:API errors",
      JSON.stringify({
        errors: [{ title: "Record not found", detail: "The record could not be found", code: "404", status: "404" }],
      }),
      404,
      { code: undefined, detail: "The record could not be found" },
    ],
    [
      "a JSON:API service code",
      JSON.stringify({ errors: [{ title: "Invalid", detail: "bad ids", code: "103", status: "400" }] }),
      400,
      { code: "103", detail: "bad ids" },
    ],
    [
      "the gateway's message",
      JSON.stringify({ message: "API rate limit exceeded" }),
      429,
      { detail: "API rate limit exceeded" },
    ],
    [
      "VA Notify errors",
      JSON.stringify({
        errors: [{ error: "ValidationError", message: "email_address Not a valid email address" }],
        status_code: 400,
      }),
      400,
      { code: "ValidationError", detail: "email_address Not a valid email address" },
    ],
    [
      "S3 XML",
      '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
      403,
      { code: "AccessDenied", detail: "Request has expired" },
    ],
    ["an HTML page", "<html><body>Bad gateway</body></html>", 502, { code: undefined, detail: undefined }],
    ["plain text", "upstream connect error", 503, { detail: "upstream connect error" }],
  ])("reads %s", (_label, body, status, expected) => {
    expect(describeErrorBody(body, status)).toEqual(expected);
  });
});

describe("classifyError", () => {
  it("keeps a BenefitsIntakeError as it is", () => {
    const err = new BenefitsIntakeError({ kind: "permanent", httpStatus: 400, code: "DOC102", detail: "bad" });
    expect(classifyError(err)).toBe(err);
  });

  it("treats a time-out as transient", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(classifyError(timeout)).toMatchObject({ kind: "transient", code: "TIMEOUT", httpStatus: undefined });
  });

  it("treats an abort as transient", () => {
    expect(classifyError(new DOMException("aborted", "AbortError"))).toMatchObject({
      kind: "transient",
      code: "ABORTED",
    });
  });

  it("treats fetch's network failures as transient, with the socket error code", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const err = new TypeError("fetch failed", { cause });
    expect(classifyError(err)).toMatchObject({ kind: "transient", code: "ECONNREFUSED" });
    expect(classifyError(new TypeError("terminated"))).toMatchObject({ kind: "transient", code: "NETWORK" });
  });

  it("treats anything else as permanent: a retry cannot fix a bug", () => {
    const err = classifyError(new TypeError("Failed to parse URL from not a url"));
    expect(err).toBeInstanceOf(BenefitsIntakeError);
    expect(err.kind).toBe("permanent");
    expect(classifyError("weird").detail).toBe("weird");
  });

  it("carries a VA Notify error's classification over", () => {
    const notify = new VaNotifyError({ kind: "transient", httpStatus: 429, detail: "slow down", retryAfterMs: 2000 });
    expect(classifyError(notify)).toMatchObject({
      kind: "transient",
      httpStatus: 429,
      detail: "slow down",
      retryAfterMs: 2000,
    });
  });

  it("serialises without request data", () => {
    const err = new BenefitsIntakeError({
      kind: "transient",
      httpStatus: 503,
      detail: "Service unavailable",
      retryAfterMs: 5000,
    });
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      service: "benefits-intake",
      kind: "transient",
      httpStatus: 503,
      detail: "Service unavailable",
      retryAfterMs: 5000,
    });
    expect(err.message).toBe("benefits-intake transient error (HTTP 503): Service unavailable");
  });
});
