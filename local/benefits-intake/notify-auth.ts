// The local VA Notify's check of the bearer token, in the order and words of VA Notify's own
// (notification-api, app/authentication/auth.py): the issuer names the service, the signature
// picks out one of its keys, and `iat` must be within 30 s of the server's clock.

import { createHmac, timingSafeEqual } from "node:crypto";
import { parseNotifyApiKey } from "@/lib/notify/notify-api-key";

export const TOKEN_BOUND_S = 30;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NotifyAuthFailure {
  status: 401 | 403;
  message: string;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function signatureMatches(input: string, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(input).digest();
  const given = Buffer.from(signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Undefined when the Authorization header carries a token signed with `apiKey`'s secret. `nowMs`
 * is the real clock, not the service's shifted one: /_admin/clock stands for Benefits Intake's
 * processing time passing, and the caller's clock does not move with it.
 */
export function checkNotifyAuth(
  header: string | undefined,
  apiKey: string,
  nowMs: number = Date.now(),
): NotifyAuthFailure | undefined {
  if (!header) return { status: 401, message: "Unauthorized, authentication token must be provided" };
  if (header.slice(0, 7).toLowerCase() !== "bearer ") {
    return { status: 401, message: "Unauthorized, authentication bearer scheme must be used" };
  }
  const parts = header.slice(7).split(".");
  const jwtHeader = parts.length === 3 ? decodePart(parts[0]) : undefined;
  const claims = parts.length === 3 ? decodePart(parts[1]) : undefined;
  // A raw API key lands here: it is not a JWT at all.
  if (!jwtHeader || !claims) return { status: 403, message: "Invalid token: signature, api token is not valid" };

  if (claims.iss === undefined) return { status: 403, message: "Invalid token: iss field not provided" };
  if (typeof claims.iss !== "string" || !UUID.test(claims.iss)) {
    return { status: 403, message: "Invalid token: service id is not the right data type" };
  }
  const key = parseNotifyApiKey(apiKey);
  if (claims.iss.toLowerCase() !== key.serviceId.toLowerCase()) {
    return { status: 403, message: "Invalid token: service not found" };
  }
  if (jwtHeader.alg !== "HS256" || !signatureMatches(`${parts[0]}.${parts[1]}`, parts[2], key.secret)) {
    return { status: 403, message: "Invalid token: signature, api token not found" };
  }
  if (typeof claims.iat !== "number" || Math.abs(nowMs / 1000 - claims.iat) > TOKEN_BOUND_S) {
    return { status: 403, message: "Error: Your system clock must be accurate to within 30 seconds" };
  }
  return undefined;
}
