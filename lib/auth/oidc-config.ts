import { z } from "zod";
import type { Role } from "@/db/schema/enums";

// The identity provider's settings, parsed with the rest of the environment (lib/env.ts spreads
// these fields into its schema and calls oidcConfigProblem after parsing). Kept here, beside the
// access rule that reads them, so what a variable means and how it is checked live in one place.

const ROLES = ["viewer", "triager", "admin"] as const satisfies readonly Role[];

// "a, b ,c" → ["a", "b", "c"]; group names are compared exactly as the provider sends them.
const commaList = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().max(200)));

export type RoleGroup = { group: string; role: Role };

// "triage-admins=admin,triage-staff=triager" → [{ group, role }…]; an unknown role is refused.
const roleGroupList = z.string().transform((s, ctx): RoleGroup[] => {
  const pairs: RoleGroup[] = [];
  for (const part of s.split(",").map((p) => p.trim())) {
    if (!part) continue;
    const at = part.lastIndexOf("=");
    const group = part.slice(0, at).trim();
    const role = part.slice(at + 1).trim();
    if (at < 1 || !group || !(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({
        code: "custom",
        message: `"${part}" is not group=role (role one of ${ROLES.join(", ")}), e.g. triage-admins=admin`,
      });
      return z.NEVER;
    }
    pairs.push({ group, role: role as Role });
  }
  return pairs;
});

export const oidcEnvFields = {
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default("openid email profile"),
  // The ID token claim that lists the person's groups (Keycloak and Okta: groups; Entra ID: groups or roles).
  OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  // Only members of one of these groups may sign in at all.
  OIDC_ALLOWED_GROUPS: commaList.default([]),
  OIDC_ROLE_GROUPS: roleGroupList.default([]),
  // The role of an allowed member whose groups map to no role. Never above viewer: access to PII
  // and to resubmission is granted by a group or by an admin, never by default.
  OIDC_DEFAULT_ROLE: z
    .enum(["viewer"], { message: "may only be viewer: grant triager or admin through OIDC_ROLE_GROUPS" })
    .default("viewer"),
};

type OidcEnvFields = z.infer<z.ZodObject<typeof oidcEnvFields>>;

// Settings that each parse but do not fit together.
export function oidcConfigProblem(env: OidcEnvFields): string | undefined {
  const connection = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  if (connection.some(Boolean) && !connection.every(Boolean)) {
    return "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together";
  }
  if (!env.OIDC_ISSUER) return undefined;
  if (env.OIDC_ALLOWED_GROUPS.length === 0) {
    return "OIDC_ALLOWED_GROUPS: required with OIDC_ISSUER (the groups whose members may sign in)";
  }
  // A role group outside the allowed list would be a second, unlisted way in: name it in both.
  const outside = env.OIDC_ROLE_GROUPS.filter((r) => !env.OIDC_ALLOWED_GROUPS.includes(r.group));
  if (outside.length > 0) {
    return `OIDC_ROLE_GROUPS: ${outside.map((r) => r.group).join(", ")} must also be listed in OIDC_ALLOWED_GROUPS`;
  }
  if (!env.OIDC_SCOPES.split(/\s+/).includes("openid")) return "OIDC_SCOPES: must include openid";
  return undefined;
}

export type OidcAccessConfig = {
  groupsClaim: string;
  allowedGroups: string[];
  roleGroups: RoleGroup[];
  defaultRole: Role;
};

export function oidcAccessConfig(env: OidcEnvFields): OidcAccessConfig {
  return {
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    allowedGroups: env.OIDC_ALLOWED_GROUPS,
    roleGroups: env.OIDC_ROLE_GROUPS,
    defaultRole: env.OIDC_DEFAULT_ROLE,
  };
}
