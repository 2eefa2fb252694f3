import type { Role } from "@/db/schema/enums";
import type { OidcAccessConfig } from "./oidc-config";
import { hasRole } from "./roles";

// Who may come in through the identity provider, and as what: decided from the ID token's claims
// alone, before any row is written. The person is known by (issuer, subject), which the provider
// never reassigns; the e-mail is only shown, and only trusted when the provider has verified it.

export type RefusalReason = "incomplete_profile" | "unverified_email" | "no_allowed_group" | "disabled";

export type OidcIdentity = { issuer: string; subject: string; email: string; name: string };

export type AccessDecision =
  | { ok: true; identity: OidcIdentity; role: Role; groups: string[] }
  | { ok: false; reason: RefusalReason };

// Some providers send a list, some a single string, a few a space-separated string.
function groupsFrom(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string");
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

// Cognito and a few others send the flag as a string.
const isVerified = (value: unknown) => value === true || value === "true";

export function decideOidcAccess(claims: Record<string, unknown>, config: OidcAccessConfig): AccessDecision {
  const { iss, sub, email } = claims;
  if (typeof iss !== "string" || !iss || typeof sub !== "string" || !sub) {
    return { ok: false, reason: "incomplete_profile" };
  }
  if (typeof email !== "string" || !email.includes("@")) return { ok: false, reason: "incomplete_profile" };
  if (!isVerified(claims.email_verified)) return { ok: false, reason: "unverified_email" };

  const groups = groupsFrom(claims[config.groupsClaim]);
  if (!groups.some((g) => config.allowedGroups.includes(g))) return { ok: false, reason: "no_allowed_group" };

  let role = config.defaultRole;
  for (const { group, role: mapped } of config.roleGroups) {
    if (groups.includes(group) && hasRole({ role: mapped }, role)) role = mapped;
  }
  const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim() : email;
  return {
    ok: true,
    identity: { issuer: iss, subject: sub, email: email.toLowerCase(), name: name.slice(0, 200) },
    role,
    groups,
  };
}
