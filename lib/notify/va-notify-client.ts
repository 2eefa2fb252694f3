// Client for VA Notify's e-mail endpoint (POST /v2/notifications/email). Failures are classified
// exactly like Benefits Intake's (network, time-out, 429, 5xx transient; other 4xx permanent), so
// the outbox job retries or gives up by the same rule. A refused token (403 AuthError) is
// permanent: a wrong key or a skewed clock fails the same way on every retry.

import { z } from "zod";
import {
  errorInitFromResponse,
  errorInitFromThrown,
  ServiceError,
  type ServiceErrorInit,
} from "../benefits-intake/errors";
import { parseNotifyApiKey } from "./notify-api-key";
import { createNotifyToken } from "./notify-token";

export interface VaNotifyClientConfig {
  /** e.g. https://api.notifications.va.gov, or the local service's notifyUrl */
  baseUrl: string;
  /** `{key_name}-{service_id}-{secret}`; never sent itself, it signs each request's token. */
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface SendEmailInput {
  emailAddress: string;
  templateId: string;
  personalisation: Record<string, string>;
  /** Our own id for the e-mail; VA Notify echoes it back. */
  reference?: string;
}

export interface VaNotifyClient {
  sendEmail(input: SendEmailInput): Promise<{ id: string }>;
}

export class VaNotifyError extends ServiceError {
  constructor(init: ServiceErrorInit) {
    super("va-notify", init);
    this.name = "VaNotifyError";
  }
}

export function classifyVaNotifyError(err: unknown): VaNotifyError {
  if (err instanceof VaNotifyError) return err;
  return new VaNotifyError(errorInitFromThrown(err));
}

const sendEmailResponseSchema = z.object({ id: z.string().min(1) });

export function createVaNotifyClient(config: VaNotifyClientConfig): VaNotifyClient {
  const endpoint = `${config.baseUrl.replace(/\/+$/, "")}/v2/notifications/email`;
  const fetchImpl = config.fetch ?? fetch;
  // A malformed key is a configuration error: it stops start-up here rather than fail each e-mail.
  const key = parseNotifyApiKey(config.apiKey);

  return {
    async sendEmail(input) {
      const body = {
        email_address: input.emailAddress,
        template_id: input.templateId,
        personalisation: input.personalisation,
        ...(input.reference !== undefined ? { reference: input.reference } : {}),
      };
      let text: string;
      try {
        const res = await fetchImpl(endpoint, {
          method: "POST",
          headers: {
            authorization: `Bearer ${createNotifyToken(key)}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        text = await res.text();
        if (!res.ok) throw new VaNotifyError(errorInitFromResponse(res, text));
      } catch (err) {
        const error = classifyVaNotifyError(err);
        if (error.code === "TIMEOUT") {
          throw new VaNotifyError({
            ...error.toJSON(),
            detail: `request timed out after ${config.timeoutMs} ms`,
            cause: err,
          });
        }
        throw error;
      }
      // The e-mail was accepted; an odd body must not make the job send it a second time, but
      // without an id we cannot record it either, so this is left to a person (permanent).
      let parsed: ReturnType<typeof sendEmailResponseSchema.safeParse> | undefined;
      try {
        parsed = sendEmailResponseSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        throw new VaNotifyError({
          kind: "permanent",
          code: "BAD_RESPONSE",
          detail: "accepted, but the response has no notification id",
        });
      }
      return { id: parsed.data.id };
    },
  };
}
