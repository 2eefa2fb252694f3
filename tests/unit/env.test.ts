import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import { PRODUCTION_SETTINGS, REQUIRED_IN_PRODUCTION, without } from "../support/production-env";

describe("configuration", () => {
  it("defaults everything in development", () => {
    const env = parseEnv({ NODE_ENV: "development" });
    expect(env.AUTH_DEV_LOGIN).toBe(true);
    expect(env.STORAGE_DIR).toBe(".data/storage");
  });

  it("names the bad variable", () => {
    expect(() => parseEnv({ NODE_ENV: "development", WORKER_CONCURRENCY: "many" })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => parseEnv({ NODE_ENV: "development", BENEFITS_INTAKE_URL: "not a url" })).toThrow(
      /BENEFITS_INTAKE_URL/,
    );
  });

  it("wants VA Notify's key format, {key_name}-{service_id}-{secret}, and does not quote a bad key", () => {
    const uuid = "0c5a9e3e-4c1f-4d6b-9a53-6f1f0e2b7d10";
    const secret = "6e8d2f4a-1b7c-4e59-8d3a-2c9f5b0e4a71";
    expect(
      parseEnv({ NODE_ENV: "development", VA_NOTIFY_API_KEY: `claim-triage-live-${uuid}-${secret}` }).VA_NOTIFY_API_KEY,
    ).toBe(`claim-triage-live-${uuid}-${secret}`);
    for (const bad of [
      "local-notify-key",
      `${uuid}-${secret}`,
      `key-${uuid}`,
      `key-${uuid}-not-a-uuid`,
      `key-${uuid}-${secret}\n`,
    ]) {
      let message = "";
      try {
        parseEnv({ NODE_ENV: "development", VA_NOTIFY_API_KEY: bad });
      } catch (e) {
        expect(e).toBeInstanceOf(EnvError);
        message = (e as Error).message;
      }
      expect(message).toMatch(/VA_NOTIFY_API_KEY: .*\{key_name\}-\{service_id\}-\{secret\}/);
      expect(message).not.toContain(bad);
    }
  });

  it("wants the OIDC settings together", () => {
    expect(() => parseEnv({ NODE_ENV: "development", OIDC_ISSUER: "https://idp.example.com" })).toThrow(EnvError);
  });
});

describe("configuration in production", () => {
  const settings: Record<string, string> = PRODUCTION_SETTINGS;

  it("starts on a complete configuration, with the development sign-in off", () => {
    const env = parseEnv(settings);
    expect(env.AUTH_DEV_LOGIN).toBe(false);
    expect(env.CLAIM_TRIAGE_DEMO_KEY).toBeUndefined();
  });

  it("refuses to start without each setting, naming every one missing at once", () => {
    let message = "";
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (e) {
      expect(e).toBeInstanceOf(EnvError);
      message = (e as Error).message;
    }
    for (const name of REQUIRED_IN_PRODUCTION) expect(message).toContain(`${name}: required in production`);
    for (const name of REQUIRED_IN_PRODUCTION) {
      expect(() => parseEnv(without(name)), name).toThrow(new RegExp(`^  ${name}: required in production$`, "m"));
    }
  });

  it("wants an https NEXTAUTH_URL and a NEXTAUTH_SECRET of 32 characters or more", () => {
    expect(() => parseEnv({ ...settings, NEXTAUTH_URL: "http://claims.example.gov" })).toThrow(
      /NEXTAUTH_URL: must be an https/,
    );
    expect(() => parseEnv({ ...settings, NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET: must be at least 32/);
  });

  it("refuses AUTH_DEV_LOGIN, and no message offers it as a fix", () => {
    for (const value of ["true", "1"]) {
      expect(() => parseEnv({ ...settings, AUTH_DEV_LOGIN: value })).toThrow(/AUTH_DEV_LOGIN: .*not available/);
    }
    expect(parseEnv({ ...settings, AUTH_DEV_LOGIN: "false" }).AUTH_DEV_LOGIN).toBe(false);
    let message = "";
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toMatch(/AUTH_DEV_LOGIN/);
  });

  it("lets `npm run demo` (its key set) run on localhost without OIDC or template ids; the key is checked against the database at start-up", () => {
    const demo: Record<string, string> = { ...settings, NEXTAUTH_URL: "http://localhost:3000", AUTH_DEV_LOGIN: "true" };
    for (const name of [
      "OIDC_ISSUER",
      "OIDC_CLIENT_ID",
      "OIDC_CLIENT_SECRET",
      "OIDC_ALLOWED_GROUPS",
      "OIDC_ROLE_GROUPS",
    ])
      delete demo[name];
    for (const name of ["VA_NOTIFY_TEMPLATE_IN_PROGRESS", "VA_NOTIFY_TEMPLATE_FAILED"]) delete demo[name];
    const key = "a".repeat(64);
    expect(() => parseEnv(demo)).toThrow(/OIDC_ISSUER: required in production/);
    const env = parseEnv({ ...demo, CLAIM_TRIAGE_DEMO_KEY: key });
    expect(env.AUTH_DEV_LOGIN).toBe(true);
    expect(env.CLAIM_TRIAGE_DEMO_KEY).toBe(key);
    expect(env.VA_NOTIFY_TEMPLATE_FAILED).toBe("backup-failed-template");
    expect(() => parseEnv({ ...settings, CLAIM_TRIAGE_DEMO_KEY: "guess" })).toThrow(/CLAIM_TRIAGE_DEMO_KEY/);
  });
});

describe("the worker's heap", () => {
  it("is WORKER_MAX_HEAP_MB, 192 MB unless set, and a bad value is named", () => {
    expect(parseEnv({ NODE_ENV: "development" }).WORKER_MAX_HEAP_MB).toBe(192);
    expect(parseEnv({ NODE_ENV: "development", WORKER_MAX_HEAP_MB: "512" }).WORKER_MAX_HEAP_MB).toBe(512);
    for (const bad of ["abc", "16", "512 --inspect"]) {
      expect(() => parseEnv({ NODE_ENV: "development", WORKER_MAX_HEAP_MB: bad })).toThrow(/WORKER_MAX_HEAP_MB/);
    }
  });
});
