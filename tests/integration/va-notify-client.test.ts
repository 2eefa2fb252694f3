// The VA Notify client against the local VA Notify (part of the local Benefits Intake service).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { classifyError } from "@/lib/benefits-intake/errors";
import { createVaNotifyClient, VaNotifyError, type VaNotifyClient } from "@/lib/notify/va-notify-client";
import { rejectionOf, startTestService } from "../helpers/local-benefits-intake";

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
  client = createVaNotifyClient({ baseUrl: env.service.notifyUrl, apiKey: env.service.notifyApiKey, timeoutMs: TIMEOUT_MS });
});
afterAll(() => env.stop());
beforeEach(() => env.admin.reset());

async function failureOf(promise: Promise<unknown>): Promise<VaNotifyError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(VaNotifyError);
  return err as VaNotifyError;
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
    const res = await fetch(`${env.service.notifyUrl}/v2/notifications/email`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.service.notifyApiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email_address: "a@example.com", template_id: "t-1", personalisation: { first_name: "Al" } }),
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ reference: null, template: { id: "t-1", version: 1 }, content: { body: "first_name: Al" } });
  });

  it("refuses a wrong key permanently (403), and a missing one (401)", async () => {
    const wrong = createVaNotifyClient({ baseUrl: env.service.notifyUrl, apiKey: "nope", timeoutMs: TIMEOUT_MS });
    expect(await failureOf(wrong.sendEmail(email))).toMatchObject({ kind: "permanent", httpStatus: 403, code: "AuthError" });
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
    await env.admin.faults({ nextFailures: [{ route: "create", status: 503 }, { route: "notify", status: 400 }] });
    expect(await failureOf(client.sendEmail(email))).toMatchObject({ kind: "permanent", httpStatus: 400 });
    expect((await env.admin.stats()).requests).toMatchObject({ notify: 1 });
  });

  it("is classified the same way by the shared classifyError", async () => {
    await env.admin.faults({ nextFailures: [{ route: "notify", status: 503 }] });
    const err = classifyError(await rejectionOf(client.sendEmail(email)));
    expect(err).toMatchObject({ kind: "transient", httpStatus: 503 });
  });
});
