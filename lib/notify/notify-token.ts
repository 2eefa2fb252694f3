// The bearer token VA Notify wants on every request: a JWT, HS256, claims `iss` (the key's service
// id) and `iat` (now, in seconds), signed with the key's secret. VA Notify refuses an `iat` more
// than 30 s from its clock, so a token is made per request and never cached.

import { createHmac } from "node:crypto";
import type { NotifyApiKey } from "./notify-api-key";

const HEADER = { typ: "JWT", alg: "HS256" } as const;

const base64url = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64url");

export function createNotifyToken(key: NotifyApiKey, nowMs: number = Date.now()): string {
  const claims = { iss: key.serviceId, iat: Math.floor(nowMs / 1000) };
  const input = `${base64url(HEADER)}.${base64url(claims)}`;
  return `${input}.${createHmac("sha256", key.secret).update(input).digest("base64url")}`;
}
