import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

// The identity provider's settings: what each OIDC_* variable accepts, and the combinations refused
// at start-up (lib/auth/oidc-config.ts).

const oidc = {
  NODE_ENV: "development",
  OIDC_ISSUER: "https://idp.example.com/realms/va",
  OIDC_CLIENT_ID: "claim-triage",
  OIDC_CLIENT_SECRET: "s",
  OIDC_ALLOWED_GROUPS: " triage-admins, triage-staff ,triage-readers,",
  OIDC_ROLE_GROUPS: "triage-admins=admin, triage-staff=triager",
};

describe("OIDC settings", () => {
  it("parse the group lists and the group=role map", () => {
    const env = parseEnv(oidc);
    expect(env.OIDC_ALLOWED_GROUPS).toEqual(["triage-admins", "triage-staff", "triage-readers"]);
    expect(env.OIDC_ROLE_GROUPS).toEqual([
      { group: "triage-admins", role: "admin" },
      { group: "triage-staff", role: "triager" },
    ]);
    expect(env.OIDC_GROUPS_CLAIM).toBe("groups");
    expect(env.OIDC_DEFAULT_ROLE).toBe("viewer");
    expect(env.OIDC_SCOPES).toBe("openid email profile");
    // Names are compared as sent; a name cannot hold a comma (the separator).
    expect(parseEnv({ ...oidc, OIDC_GROUPS_CLAIM: "roles" }).OIDC_GROUPS_CLAIM).toBe("roles");
  });

  it("never let the default role be above viewer", () => {
    for (const role of ["triager", "admin"]) {
      expect(() => parseEnv({ ...oidc, OIDC_DEFAULT_ROLE: role })).toThrow(/OIDC_DEFAULT_ROLE: may only be viewer/);
    }
  });

  it("refuse a role that does not exist and a pair that is not group=role", () => {
    expect(() => parseEnv({ ...oidc, OIDC_ROLE_GROUPS: "triage-admins=superuser" })).toThrow(/OIDC_ROLE_GROUPS/);
    expect(() => parseEnv({ ...oidc, OIDC_ROLE_GROUPS: "triage-admins" })).toThrow(/not group=role/);
    expect(() => parseEnv({ ...oidc, OIDC_ROLE_GROUPS: "=admin" })).toThrow(/not group=role/);
  });

  it("want allowed groups with an issuer, and every role group among them", () => {
    expect(() => parseEnv({ ...oidc, OIDC_ALLOWED_GROUPS: "" })).toThrow(/OIDC_ALLOWED_GROUPS: required/);
    expect(() => parseEnv({ ...oidc, OIDC_ALLOWED_GROUPS: "triage-staff" })).toThrow(
      /triage-admins must also be listed in OIDC_ALLOWED_GROUPS/,
    );
    expect(() => parseEnv({ ...oidc, OIDC_SCOPES: "email profile" })).toThrow(EnvError);
    expect(() => parseEnv({ NODE_ENV: "development", OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow(/set together/);
    // No provider at all (the development sign-in): the group settings are not needed.
    expect(parseEnv({ NODE_ENV: "development" }).OIDC_ALLOWED_GROUPS).toEqual([]);
  });
});
