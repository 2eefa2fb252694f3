// Every fault the local Benefits Intake service can inject, as the client sees it over real HTTP:
// each must come out as a BenefitsIntakeError with the right kind, status and Retry-After.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BenefitsIntakeClient, createBenefitsIntakeClient } from "@/lib/benefits-intake/client";
import { BenefitsIntakeError } from "@/lib/benefits-intake/errors";
import { createVaNotifyClient } from "@/lib/notify/va-notify-client";
import type { FaultRoute } from "@/local/benefits-intake";
import { makePackage, rejectionOf, startTestService } from "../support/local-benefits-intake";

const TIMEOUT_MS = 750;
let env: Awaited<ReturnType<typeof startTestService>>;
let client: BenefitsIntakeClient;

beforeAll(async () => {
  env = await startTestService();
  client = createBenefitsIntakeClient({ baseUrl: env.service.url, apiKey: env.service.apiKey, timeoutMs: TIMEOUT_MS });
});
afterAll(() => env.stop());
beforeEach(() => env.admin.reset());

/** One call per route, so each fault can be checked on every endpoint it applies to. */
const calls: Record<Exclude<FaultRoute, "notify" | "validate">, () => Promise<unknown>> = {
  create: () => client.createUpload(),
  status: async () => client.getUploadStatus((await client.createUpload()).uuid),
  report: () => client.getUploadReport(["00000000-0000-4000-8000-000000000000"]),
  upload: async () => client.uploadPackage((await client.createUpload()).location, await makePackage()),
};
const routes = Object.keys(calls) as (keyof typeof calls)[];

async function failureOf(route: keyof typeof calls): Promise<BenefitsIntakeError> {
  const err = await rejectionOf(calls[route]());
  expect(err).toBeInstanceOf(BenefitsIntakeError);
  return err as BenefitsIntakeError;
}

describe.each(routes)("faults on the %s route", (route) => {
  it.each([500, 503])("HTTP %i is transient", async (status) => {
    await env.admin.faults({ nextFailures: [{ route, status }] });
    expect(await failureOf(route)).toMatchObject({ kind: "transient", httpStatus: status });
    // The script is used up: the next call goes through.
    await expect(calls[route]()).resolves.toBeDefined();
  });

  it("429 is transient and carries Retry-After (seconds)", async () => {
    await env.admin.faults({ nextFailures: [{ route, status: 429, retryAfter: 7 }] });
    expect(await failureOf(route)).toMatchObject({ kind: "transient", httpStatus: 429, retryAfterMs: 7_000 });
  });

  it("a hang ends in the client's time-out, classified transient", async () => {
    await env.admin.faults({ nextFailures: [{ route, hang: true }] });
    const err = await failureOf(route);
    expect(err).toMatchObject({ kind: "transient", code: "TIMEOUT", httpStatus: undefined });
    expect(err.detail).toBe(`request timed out after ${TIMEOUT_MS} ms`);
  });

  it("400 is permanent", async () => {
    await env.admin.faults({ nextFailures: [{ route, status: 400 }] });
    expect(await failureOf(route)).toMatchObject({ kind: "permanent", httpStatus: 400 });
  });
});

describe("fault details", () => {
  it("reads Retry-After given as an HTTP date", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    await env.admin.faults({ nextFailures: [{ route: "create", status: 429, retryAfter: at }] });
    const err = await failureOf("create");
    expect(err.retryAfterMs).toBeGreaterThan(100_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it("uses the gateway's rate-limit message and the configured Retry-After for random 429s", async () => {
    await env.admin.faults({ rateLimitRate: 1, retryAfterS: 3 });
    expect(await failureOf("create")).toMatchObject({
      kind: "transient",
      httpStatus: 429,
      detail: "API rate limit exceeded",
      retryAfterMs: 3_000,
    });
  });

  it("answers the upload location's faults in S3's XML, with its codes", async () => {
    await env.admin.faults({ nextFailures: [{ route: "upload", status: 503 }] });
    expect(await failureOf("upload")).toMatchObject({ kind: "transient", httpStatus: 503, code: "SlowDown" });
  });

  it("plays a scripted sequence in order, per route", async () => {
    await env.admin.faults({
      nextFailures: [
        { route: "create", status: 503 },
        { route: "status", status: 500 },
        { route: "create", status: 429, retryAfter: 1 },
        { route: "create", hang: true },
        { route: "create", status: 400 },
      ],
    });
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      const result = await client.createUpload().then(
        () => "ok",
        (e: BenefitsIntakeError) => `${e.kind} ${e.httpStatus ?? e.code}`,
      );
      outcomes.push(result);
    }
    expect(outcomes).toEqual(["transient 503", "transient 429", "transient TIMEOUT", "permanent 400", "ok"]);
    // The status fault was left for the status route.
    expect(await failureOf("status")).toMatchObject({ httpStatus: 500 });
  });

  it("fails everything at failRate 1, and nothing once reset", async () => {
    await env.admin.faults({ failRate: 1 });
    for (let i = 0; i < 5; i++) {
      const err = await failureOf("create");
      expect(err.kind).toBe("transient");
      expect([500, 503]).toContain(err.httpStatus);
    }
    await env.admin.reset();
    await expect(client.createUpload()).resolves.toHaveProperty("uuid");
  });

  it("hangs at hangRate 1 and returns 400 at badRequestRate 1", async () => {
    await env.admin.faults({ hangRate: 1 });
    expect(await failureOf("report")).toMatchObject({ kind: "transient", code: "TIMEOUT" });
    await env.admin.faults({ hangRate: 0, badRequestRate: 1 });
    expect(await failureOf("report")).toMatchObject({ kind: "permanent", httpStatus: 400 });
  });

  it("answers VA Notify 400 at notifyBadRequestRate, and Benefits Intake's badRequestRate leaves VA Notify alone", async () => {
    const vaNotify = createVaNotifyClient({
      baseUrl: env.service.notifyUrl,
      apiKey: env.service.notifyApiKey,
      timeoutMs: TIMEOUT_MS,
    });
    const email = () =>
      vaNotify.sendEmail({ emailAddress: "veteran@example.com", templateId: "t", personalisation: {}, reference: "r" });
    await env.admin.faults({ badRequestRate: 1 });
    expect((await email()).id).toBeTruthy();
    expect(await failureOf("report")).toMatchObject({ kind: "permanent", httpStatus: 400 });
    await env.admin.faults({ badRequestRate: 0, notifyBadRequestRate: 1 });
    expect(await rejectionOf(email())).toMatchObject({ kind: "permanent", httpStatus: 400 });
    await expect(calls.create()).resolves.toBeTruthy();
  });

  it("times out when latency is longer than the client waits", async () => {
    await env.admin.faults({ latencyMs: TIMEOUT_MS * 3 });
    expect(await failureOf("create")).toMatchObject({ kind: "transient", code: "TIMEOUT" });
  });

  it("refuses a wrong or missing apikey with a permanent 401, before any fault", async () => {
    await env.admin.faults({ nextFailures: [{ status: 503 }] });
    const wrongKey = createBenefitsIntakeClient({
      baseUrl: env.service.url,
      apiKey: "not-the-key",
      timeoutMs: TIMEOUT_MS,
    });
    expect(await rejectionOf(wrongKey.createUpload())).toMatchObject({
      kind: "permanent",
      httpStatus: 401,
      detail: "Invalid authentication credentials",
    });
    const res = await fetch(`${env.service.url}/uploads`, { method: "POST" });
    expect(res.status).toBe(401);
    expect((await res.json()).message).toBe("No API key found in request");
    // The scripted 503 is still queued: the gateway refused the calls before the API saw them.
    expect(await failureOf("create")).toMatchObject({ httpStatus: 503 });
  });

  it("treats a connection refused as transient", async () => {
    const closed = await startTestService();
    const url = closed.service.url;
    await closed.stop();
    const gone = createBenefitsIntakeClient({ baseUrl: url, apiKey: "k", timeoutMs: TIMEOUT_MS });
    expect(await rejectionOf(gone.createUpload())).toMatchObject({ kind: "transient", code: "ECONNREFUSED" });
  });

  it("repeats random faults exactly for the same seed", async () => {
    const run = async () => {
      const seeded = await startTestService({ seed: 42, faults: { failRate: 0.5 } });
      const c = createBenefitsIntakeClient({
        baseUrl: seeded.service.url,
        apiKey: seeded.service.apiKey,
        timeoutMs: 2_000,
      });
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(
          await c.createUpload().then(
            () => "ok",
            (e: BenefitsIntakeError) => String(e.httpStatus),
          ),
        );
      }
      await seeded.stop();
      return outcomes;
    };
    const first = await run();
    expect(first).toContain("ok");
    expect(first.some((o) => o !== "ok")).toBe(true);
    expect(await run()).toEqual(first);
  });
});
