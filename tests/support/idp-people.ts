// The people of the test identity provider (tests/support/oidc-provider.ts) and the settings the app
// under test is given to trust it: one list, read by the provider, playwright.config.ts and the specs.

export type IdpPerson = {
  login: string; // typed on the provider's sign-in page
  name: string;
  email: string;
  emailVerified: boolean;
  groups: string[];
};

export const IDP_PEOPLE = {
  admin: {
    login: "avery",
    name: "Avery Okafor",
    email: "avery.okafor@idp.example.org",
    emailVerified: true,
    groups: ["triage-admins", "all-staff"],
  },
  staff: {
    login: "sam",
    name: "Sam Whitfield",
    email: "sam.whitfield@idp.example.org",
    emailVerified: true,
    groups: ["triage-staff"],
  },
  reader: {
    login: "rita",
    name: "Rita Lindqvist",
    email: "rita.lindqvist@idp.example.org",
    emailVerified: true,
    groups: ["triage-readers"],
  },
  outsider: {
    login: "nico",
    name: "Nico Brandt",
    email: "nico.brandt@idp.example.org",
    emailVerified: true,
    groups: ["payroll", "all-staff"],
  },
  unverified: {
    login: "uma",
    name: "Uma Castellanos",
    email: "uma.castellanos@idp.example.org",
    emailVerified: false,
    groups: ["triage-staff"],
  },
} as const satisfies Record<string, IdpPerson>;

export const IDP_CLIENT = { id: "claim-triage-e2e", secret: "e2e-only-client-secret-not-a-real-one" } as const;

// What the app is told (OIDC_* variables) for a provider at `issuer`.
export function idpAppEnv(issuer: string): Record<string, string> {
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: IDP_CLIENT.id,
    OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
    OIDC_ALLOWED_GROUPS: "triage-admins,triage-staff,triage-readers",
    OIDC_ROLE_GROUPS: "triage-admins=admin,triage-staff=triager",
  };
}
