import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";

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
  it("refuses to start without the outside services, naming each", () => {
    let message = "";
    try {
      parseEnv({ NODE_ENV: "production" });
    } catch (e) {
      message = (e as Error).message;
    }
    for (const name of [
      "DATABASE_URL",
      "NEXTAUTH_SECRET",
      "BENEFITS_INTAKE_URL",
      "BENEFITS_INTAKE_API_KEY",
      "VA_NOTIFY_URL",
      "METRICS_TOKEN",
    ]) {
      expect(message).toContain(name);
    }
  });

  it("turns off the development sign-in unless asked", () => {
    const base = {
      NODE_ENV: "production",
      DATABASE_URL: "postgres://u:p@db.example.com/ct",
      NEXTAUTH_SECRET: "x".repeat(32),
      BENEFITS_INTAKE_URL: "https://sandbox-api.va.gov/services/vba_documents/v1",
      BENEFITS_INTAKE_API_KEY: "k",
      VA_NOTIFY_URL: "https://api.notifications.va.gov",
      METRICS_TOKEN: "t".repeat(16),
      VA_NOTIFY_API_KEY: "claim-triage-live-0c5a9e3e-4c1f-4d6b-9a53-6f1f0e2b7d10-6e8d2f4a-1b7c-4e59-8d3a-2c9f5b0e4a71",
    };
    expect(() => parseEnv(base)).toThrow(/OIDC_ISSUER/);
    expect(parseEnv({ ...base, AUTH_DEV_LOGIN: "true" }).AUTH_DEV_LOGIN).toBe(true);
    expect(
      parseEnv({ ...base, OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: "s" })
        .AUTH_DEV_LOGIN,
    ).toBe(false);
  });
});
