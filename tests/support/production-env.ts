// A complete production configuration (nothing real in it), and the settings `npm start` must
// refuse to start without: the unit test of lib/env.ts and the test of the real command share it.

export const PRODUCTION_SETTINGS = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://claim_triage:secret@db.example.com:5432/claim_triage",
  NEXTAUTH_URL: "https://claims.example.gov",
  NEXTAUTH_SECRET: "s".repeat(32),
  OIDC_ISSUER: "https://idp.example.gov/realms/va",
  OIDC_CLIENT_ID: "claim-triage",
  OIDC_CLIENT_SECRET: "oidc-client-secret",
  OIDC_ALLOWED_GROUPS: "triage-staff,triage-admins",
  OIDC_ROLE_GROUPS: "triage-admins=admin,triage-staff=triager",
  BENEFITS_INTAKE_URL: "https://sandbox-api.va.gov/services/vba_documents/v1",
  BENEFITS_INTAKE_API_KEY: "benefits-intake-key",
  VA_NOTIFY_URL: "https://api.notifications.va.gov",
  VA_NOTIFY_API_KEY: "claim-triage-live-0c5a9e3e-4c1f-4d6b-9a53-6f1f0e2b7d10-6e8d2f4a-1b7c-4e59-8d3a-2c9f5b0e4a71",
  VA_NOTIFY_TEMPLATE_IN_PROGRESS: "0b1c2d3e-0000-4000-8000-000000000001",
  VA_NOTIFY_TEMPLATE_FAILED: "0b1c2d3e-0000-4000-8000-000000000002",
  METRICS_TOKEN: "m".repeat(24),
} as const;

export const REQUIRED_IN_PRODUCTION = [
  "DATABASE_URL",
  "NEXTAUTH_URL",
  "NEXTAUTH_SECRET",
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "BENEFITS_INTAKE_URL",
  "BENEFITS_INTAKE_API_KEY",
  "VA_NOTIFY_URL",
  "VA_NOTIFY_API_KEY",
  "VA_NOTIFY_TEMPLATE_IN_PROGRESS",
  "VA_NOTIFY_TEMPLATE_FAILED",
  "METRICS_TOKEN",
] as const;

export function without(name: string): Record<string, string> {
  const { [name as keyof typeof PRODUCTION_SETTINGS]: _left, ...rest } = PRODUCTION_SETTINGS;
  return rest;
}
