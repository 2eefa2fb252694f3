// The shape of a VA Notify (GOV.UK Notify) API key: `{key_name}-{service_id}-{secret}`, the last two
// parts UUIDs. The key itself is never sent: the service id becomes the token's `iss` and the
// secret signs it (see notify-token.ts). Kept free of node:crypto so lib/env.ts can check the
// format at start-up without pulling it in.

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** The key name may itself hold hyphens, so the two UUIDs are taken from the end. */
export const NOTIFY_API_KEY_PATTERN = new RegExp(`^(.+)-(${UUID})-(${UUID})$`, "i");

export const NOTIFY_API_KEY_FORMAT_MESSAGE =
  "must have VA Notify's key format, {key_name}-{service_id}-{secret}, service_id and secret each a UUID";

export interface NotifyApiKey {
  keyName: string;
  serviceId: string;
  secret: string;
}

/** Throws without quoting the key: it is a secret and error messages end up in logs. */
export function parseNotifyApiKey(key: string): NotifyApiKey {
  const match = NOTIFY_API_KEY_PATTERN.exec(key);
  if (!match) throw new Error(`VA Notify API key ${NOTIFY_API_KEY_FORMAT_MESSAGE}`);
  return { keyName: match[1], serviceId: match[2], secret: match[3] };
}
