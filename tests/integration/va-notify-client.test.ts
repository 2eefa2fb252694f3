// The VA Notify client against the local VA Notify (part of the local Benefits Intake service).

import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { classifyError } from "@/lib/benefits-intake/errors";
import { createVaNotifyClient, type VaNotifyClient, VaNotifyError } from "@/lib/notify/va-notify-client";
import { optionsFromEnv, startLocalBenefitsIntake } from "@/local/benefits-intake";
import { rejectionOf, startTestService } from "../support/local-benefits-intake";

const TIMEOUT_MS = 750;
let env: Awaited<ReturnType<typeof startTestService>>;
let client: VaNotifyClient;

const email = {
  emailAddress: "veteran@example.com",
  templateId: "backup-in-progress-template",
  personalisation: { first_name: "Jane", date_submitted: "June 14, 2022", confirmation_number: "abc-123" },
  reference: "notification-1",
};

beforeAll(async () => {
  env = await startTestService();
  client = createVaNotifyClient({
    baseUrl: env.service.notifyUrl,
    apiKey: env.service.notifyApiKey,
    timeoutMs: TIMEOUT_MS,
  });
});
afterAll(() => env.stop());
beforeEach(() => env.admin.reset());

async function failureOf(promise: Promise<unknown>): Promise<VaNotifyError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(VaNotifyError);
  return err as VaNotifyError;
}

// The token is built and checked here with node:crypto alone, not with lib/notify, so a mistake
// shared by the client and the local service cannot pass unseen.
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

function keyParts(apiKey = env.service.notifyApiKey) {
  const match = new RegExp(`^(.+)-(${UUID})-(${UUID})$`).exec(apiKey);
  if (!match) throw new Error("the local service's key is not in VA Notify's format");
  return { keyName: match[1], serviceId: match[2], secret: match[3] };
}

const nowS = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function tokenFor(claims: Record<string, unknown>, secret = keyParts().secret): string {
  const input = `${b64({ typ: "JWT", alg: "HS256" })}.${b64(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

function postEmail(authorization: string, body: unknown = { email_address: "a@example.com", template_id: "t-1" }) {
  return fetch(`${env.service.notifyUrl}/v2/notifications/email`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("sendEmail", () => {
  it("sends the e-mail and returns VA Notify's id", async () => {
    const { id } = await client.sendEmail(email);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const received = await env.admin.notifications();
    expect(received).toEqual([
      expect.objectContaining({
        id,
        email_address: "veteran@example.com",
        template_id: "backup-in-progress-template",
        personalisation: email.personalisation,
        reference: "notification-1",
      }),
    ]);
  });

  it("answers in VA Notify's shape", async () => {
    const res = await postEmail(`Bearer ${tokenFor({ iss: keyParts().serviceId, iat: nowS() })}`, {
      email_address: "a@example.com",
      template_id: "t-1",
      personalisation: { first_name: "Al" },
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      reference: null,
      template: { id: "t-1", version: 1 },
      content: { body: "first_name: Al" },
    });
  });

  it("refuses a key with another secret permanently (403, with VA Notify's message), and a missing one (401)", async () => {
    const { keyName, serviceId } = keyParts();
    const otherSecret = `${keyName}-${serviceId}-${randomUUID()}`;
    const wrong = createVaNotifyClient({ baseUrl: env.service.notifyUrl, apiKey: otherSecret, timeoutMs: TIMEOUT_MS });
    expect(await failureOf(wrong.sendEmail(email))).toMatchObject({
      kind: "permanent",
      httpStatus: 403,
      code: "AuthError",
      detail: "Invalid token: signature, api token not found",
    });
    const res = await fetch(`${env.service.notifyUrl}/v2/notifications/email`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(await env.admin.notifications()).toEqual([]);
  });

  it.each([
    ["an invalid address", { emailAddress: "not-an-address" }, "email_address Not a valid email address"],
    ["an empty template id", { templateId: " " }, "template_id is not a valid template id"],
  ])("rejects %s permanently with VA Notify's message", async (_label, patch, message) => {
    const err = await failureOf(client.sendEmail({ ...email, ...patch }));
    expect(err).toMatchObject({ kind: "permanent", httpStatus: 400, code: "ValidationError", detail: message });
  });

  it.each([500, 503])("treats HTTP %i as transient", async (status) => {
    await env.admin.faults({ nextFailures: [{ route: "notify", status }] });
    expect(await failureOf(client.sendEmail(email))).toMatchObject({ kind: "transient", httpStatus: status });
    await expect(client.sendEmail(email)).resolves.toHaveProperty("id");
    expect(await env.admin.notifications()).toHaveLength(1);
  });

  it("treats 429 as transient with its Retry-After", async () => {
    await env.admin.faults({ nextFailures: [{ route: "notify", status: 429, retryAfter: 4 }] });
    expect(await failureOf(client.sendEmail(email))).toMatchObject({
      kind: "transient",
      httpStatus: 429,
      code: "RateLimitError",
      retryAfterMs: 4_000,
    });
  });

  it("treats a hang as a transient time-out", async () => {
    await env.admin.faults({ nextFailures: [{ route: "notify", hang: true }] });
    expect(await failureOf(client.sendEmail(email))).toMatchObject({
      kind: "transient",
      code: "TIMEOUT",
      detail: `request timed out after ${TIMEOUT_MS} ms`,
    });
  });

  it("treats an injected 400 as permanent, and leaves Benefits Intake faults alone", async () => {
    await env.admin.faults({
      nextFailures: [
        { route: "create", status: 503 },
        { route: "notify", status: 400 },
      ],
    });
    expect(await failureOf(client.sendEmail(email))).toMatchObject({ kind: "permanent", httpStatus: 400 });
    expect((await env.admin.stats()).requests).toMatchObject({ notify: 1 });
  });

  it("is classified the same way by the shared classifyError", async () => {
    await env.admin.faults({ nextFailures: [{ route: "notify", status: 503 }] });
    const err = classifyError(await rejectionOf(client.sendEmail(email)));
    expect(err).toMatchObject({ kind: "transient", httpStatus: 503 });
  });
});

describe("the signed token", () => {
  it("is a fresh HS256 JWT per request: iss the key's service id, iat now, signed with the key's secret", async () => {
    const seen: string[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers).get("authorization") ?? "");
      return fetch(input, init);
    };
    const recordingClient = createVaNotifyClient({
      baseUrl: env.service.notifyUrl,
      apiKey: env.service.notifyApiKey,
      timeoutMs: TIMEOUT_MS,
      fetch: recording,
    });
    const before = nowS();
    await recordingClient.sendEmail(email);
    await recordingClient.sendEmail(email);
    const after = nowS();

    expect(seen).toHaveLength(2);
    const { serviceId, secret } = keyParts();
    for (const authorization of seen) {
      expect(authorization).not.toContain(env.service.notifyApiKey);
      const [scheme, token] = authorization.split(" ");
      expect(scheme).toBe("Bearer");
      const [header, claims, signature] = token.split(".");
      expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ typ: "JWT", alg: "HS256" });
      const decoded = JSON.parse(Buffer.from(claims, "base64url").toString());
      expect(decoded).toEqual({ iss: serviceId, iat: expect.any(Number) });
      expect(decoded.iat).toBeGreaterThanOrEqual(before);
      expect(decoded.iat).toBeLessThanOrEqual(after);
      expect(signature).toBe(createHmac("sha256", secret).update(`${header}.${claims}`).digest("base64url"));
    }
    expect(await env.admin.notifications()).toHaveLength(2);
  });

  it("is accepted by the local VA Notify when made by hand the same way", async () => {
    expect((await postEmail(`Bearer ${tokenFor({ iss: keyParts().serviceId, iat: nowS() })}`)).status).toBe(201);
  });

  it.each([
    ["the raw API key", () => `Bearer ${env.service.notifyApiKey}`, "Invalid token: signature, api token is not valid"],
    [
      "a token signed with another secret",
      () => `Bearer ${tokenFor({ iss: keyParts().serviceId, iat: nowS() }, randomUUID())}`,
      "Invalid token: signature, api token not found",
    ],
    [
      "a token from another service",
      () => `Bearer ${tokenFor({ iss: randomUUID(), iat: nowS() })}`,
      "Invalid token: service not found",
    ],
    [
      "a token whose iss is not a service id",
      () => `Bearer ${tokenFor({ iss: "local-notify-key", iat: nowS() })}`,
      "Invalid token: service id is not the right data type",
    ],
    ["a token without iss", () => `Bearer ${tokenFor({ iat: nowS() })}`, "Invalid token: iss field not provided"],
    [
      "a token issued 60 s ago",
      () => `Bearer ${tokenFor({ iss: keyParts().serviceId, iat: nowS() - 60 })}`,
      "Error: Your system clock must be accurate to within 30 seconds",
    ],
    [
      "a token issued 60 s ahead",
      () => `Bearer ${tokenFor({ iss: keyParts().serviceId, iat: nowS() + 60 })}`,
      "Error: Your system clock must be accurate to within 30 seconds",
    ],
  ])("refuses %s with 403 and VA Notify's message", async (_label, authorization, message) => {
    const res = await postEmail(authorization());
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: [{ error: "AuthError", message }], status_code: 403 });
    expect(await env.admin.notifications()).toEqual([]);
  });

  it("wants the Bearer scheme (401)", async () => {
    const res = await postEmail(`Token ${tokenFor({ iss: keyParts().serviceId, iat: nowS() })}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      errors: [{ error: "AuthError", message: "Unauthorized, authentication bearer scheme must be used" }],
    });
  });

  it("does not follow the service's test clock: a token made now stays good after /_admin/clock moves on", async () => {
    await env.admin.advance(10 * 60_000);
    await expect(client.sendEmail(email)).resolves.toHaveProperty("id");
  });
});

describe("the VA Notify key format", () => {
  it("stops the client at construction, without quoting the key", () => {
    const make = (apiKey: string) => () =>
      createVaNotifyClient({ baseUrl: env.service.notifyUrl, apiKey, timeoutMs: TIMEOUT_MS });
    expect(make("local-notify-key")).toThrow(/\{key_name\}-\{service_id\}-\{secret\}/);
    expect(make(`${randomUUID()}-${randomUUID()}`)).toThrow(); // no key name
    expect(make(`k-${randomUUID()}-${randomUUID()}\n`)).toThrow(); // a newline copied from a secrets file
    let message = "";
    try {
      make("secret-looking-key")();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toContain("secret-looking-key");
  });

  it("stops the local service at start-up", async () => {
    expect(() => optionsFromEnv({ BI_LOCAL_NOTIFY_API_KEY: "local-notify-key" })).toThrow(
      /BI_LOCAL_NOTIFY_API_KEY: .*\{key_name\}/,
    );
    await expect(startLocalBenefitsIntake({ port: 0, notifyApiKey: "local-notify-key" })).rejects.toThrow(
      /VA Notify API key/,
    );
  });

  it("takes the two UUIDs from the end, so the key name may hold hyphens", async () => {
    const serviceId = randomUUID();
    const apiKey = `my-team-live-key-${serviceId}-${randomUUID()}`;
    const other = await startTestService({ notifyApiKey: apiKey });
    try {
      const c = createVaNotifyClient({ baseUrl: other.service.notifyUrl, apiKey, timeoutMs: TIMEOUT_MS });
      await expect(c.sendEmail(email)).resolves.toHaveProperty("id");
      expect(keyParts(apiKey)).toMatchObject({ keyName: "my-team-live-key", serviceId });
    } finally {
      await other.stop();
    }
  });
});
