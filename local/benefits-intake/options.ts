// Settings of the local Benefits Intake service. The service is a development and test tool, not
// part of the app, so its BI_LOCAL_* knobs are parsed here (from an env object handed in) rather
// than in lib/env.ts; the app itself only ever sees BENEFITS_INTAKE_URL and the key.

import path from "node:path";
import { z } from "zod";
import { NOTIFY_API_KEY_FORMAT_MESSAGE, NOTIFY_API_KEY_PATTERN, parseNotifyApiKey } from "@/lib/notify/notify-api-key";

export interface FaultConfig {
  /** Added before every Benefits Intake and VA Notify response. */
  latencyMs: number;
  /** Share of calls answered 500 or 503. */
  failRate: number;
  /** Share of calls answered 429 with Retry-After. */
  rateLimitRate: number;
  retryAfterS: number;
  /** Share of calls never answered (the client's time-out has to fire). */
  hangRate: number;
  /** Share of Benefits Intake calls answered 400. */
  badRequestRate: number;
  /** Share of VA Notify calls answered 400: an e-mail refused for good, which leaves its claim a
   *  silent failure for a person to handle. Apart from badRequestRate so a run can inject Benefits
   *  Intake's permanent errors without VA Notify's. */
  notifyBadRequestRate: number;
  /** Share of valid uploads that end in `error` (DOC202) after `processing`. */
  errorRate: number;
  /** Share of PUTs answered 200 whose upload is then lost and ends `expired`. */
  expireRate: number;
}

export interface LocalBenefitsIntakeOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  apiKey?: string;
  notifyApiKey?: string;
  /** Where accepted uploads are written, one folder per upload. */
  dataDir?: string;
  storePayloads?: boolean;
  /** Time between two status steps after a PUT (uploaded → received → … → vbms). */
  stepMs?: number;
  /** How long an upload location stays valid (900 s on the real service). */
  locationTtlMs?: number;
  /** The real bulk report may answer from a cache up to an hour old; 0 = always fresh. */
  reportCacheMs?: number;
  /** Like the real sandbox: progression stops at `received` unless Status-Override moves it. */
  sandbox?: boolean;
  /** Largest PUT body accepted (the real limit is 5 GB; this one holds the body in memory). */
  maxPayloadBytes?: number;
  faults?: Partial<FaultConfig>;
  /** Makes the random faults repeatable. */
  seed?: number;
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<Omit<LocalBenefitsIntakeOptions, "faults" | "seed" | "log">> & {
  faults: FaultConfig;
  seed?: number;
  log: (line: string) => void;
};

export const DEFAULT_API_KEY = "local-dev-key";
// In VA Notify's key format (name, service id, secret), so the client signs its tokens with it
// exactly as it would with a real key. Fixed, so `npm run dev` needs no configuration.
export const DEFAULT_NOTIFY_API_KEY =
  "local-notify-key-0c5a9e3e-4c1f-4d6b-9a53-6f1f0e2b7d10-6e8d2f4a-1b7c-4e59-8d3a-2c9f5b0e4a71";
export const DEFAULT_PORT = 4010;
export const DEFAULT_STEP_MS = 3_000;
export const DEFAULT_LOCATION_TTL_MS = 900_000;

export const NO_FAULTS: FaultConfig = {
  latencyMs: 0,
  failRate: 0,
  rateLimitRate: 0,
  retryAfterS: 1,
  hangRate: 0,
  badRequestRate: 0,
  notifyBadRequestRate: 0,
  errorRate: 0,
  expireRate: 0,
};

export function resolveOptions(options: LocalBenefitsIntakeOptions): ResolvedOptions {
  // A malformed key could never be matched by a token, so it stops the service at start-up.
  if (options.notifyApiKey !== undefined) parseNotifyApiKey(options.notifyApiKey);
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    notifyApiKey: options.notifyApiKey ?? DEFAULT_NOTIFY_API_KEY,
    dataDir: path.resolve(options.dataDir ?? ".data/local-benefits-intake"),
    storePayloads: options.storePayloads ?? true,
    stepMs: options.stepMs ?? DEFAULT_STEP_MS,
    locationTtlMs: options.locationTtlMs ?? DEFAULT_LOCATION_TTL_MS,
    reportCacheMs: options.reportCacheMs ?? 0,
    sandbox: options.sandbox ?? false,
    maxPayloadBytes: options.maxPayloadBytes ?? 1024 * 1024 * 1024,
    faults: { ...NO_FAULTS, ...options.faults },
    seed: options.seed,
    log: options.log ?? (() => {}),
  };
}

const rate = z.coerce.number().min(0).max(1).optional();
const ms = z.coerce.number().int().min(0).optional();
const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .optional();

const envSchema = z.object({
  BI_LOCAL_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  BI_LOCAL_HOST: z.string().min(1).optional(),
  BI_LOCAL_API_KEY: z.string().min(1).optional(),
  BI_LOCAL_NOTIFY_API_KEY: z.string().regex(NOTIFY_API_KEY_PATTERN, NOTIFY_API_KEY_FORMAT_MESSAGE).optional(),
  BI_LOCAL_DATA_DIR: z.string().min(1).optional(),
  BI_LOCAL_STORE_PAYLOADS: bool,
  BI_LOCAL_STEP_MS: ms,
  BI_LOCAL_LOCATION_TTL_MS: ms,
  BI_LOCAL_REPORT_CACHE_MS: ms,
  BI_LOCAL_SANDBOX: bool,
  BI_LOCAL_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1).optional(),
  BI_LOCAL_SEED: z.coerce.number().int().optional(),
  BI_LOCAL_LOG_REQUESTS: bool,
  BI_LOCAL_LATENCY_MS: ms,
  BI_LOCAL_FAIL_RATE: rate,
  BI_LOCAL_RATE_LIMIT_RATE: rate,
  BI_LOCAL_RETRY_AFTER_S: z.coerce.number().int().min(0).optional(),
  BI_LOCAL_HANG_RATE: rate,
  BI_LOCAL_BAD_REQUEST_RATE: rate,
  BI_LOCAL_NOTIFY_BAD_REQUEST_RATE: rate,
  BI_LOCAL_ERROR_RATE: rate,
  BI_LOCAL_EXPIRE_RATE: rate,
});

/**
 * Reads BI_LOCAL_* from the env object given; a bad value throws with every problem. The port is
 * BI_LOCAL_PORT only (PORT usually belongs to the web app); the CLI falls back to PORT itself.
 */
export function optionsFromEnv(
  source: Record<string, string | undefined>,
): LocalBenefitsIntakeOptions & { logRequests: boolean } {
  // Empty strings mean "not set", as in a .env file with `BI_LOCAL_FAIL_RATE=`.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid local Benefits Intake configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const faults: Partial<FaultConfig> = {
    latencyMs: env.BI_LOCAL_LATENCY_MS,
    failRate: env.BI_LOCAL_FAIL_RATE,
    rateLimitRate: env.BI_LOCAL_RATE_LIMIT_RATE,
    retryAfterS: env.BI_LOCAL_RETRY_AFTER_S,
    hangRate: env.BI_LOCAL_HANG_RATE,
    badRequestRate: env.BI_LOCAL_BAD_REQUEST_RATE,
    notifyBadRequestRate: env.BI_LOCAL_NOTIFY_BAD_REQUEST_RATE,
    errorRate: env.BI_LOCAL_ERROR_RATE,
    expireRate: env.BI_LOCAL_EXPIRE_RATE,
  };
  return {
    port: env.BI_LOCAL_PORT,
    host: env.BI_LOCAL_HOST,
    apiKey: env.BI_LOCAL_API_KEY,
    notifyApiKey: env.BI_LOCAL_NOTIFY_API_KEY,
    dataDir: env.BI_LOCAL_DATA_DIR,
    storePayloads: env.BI_LOCAL_STORE_PAYLOADS,
    stepMs: env.BI_LOCAL_STEP_MS,
    locationTtlMs: env.BI_LOCAL_LOCATION_TTL_MS,
    reportCacheMs: env.BI_LOCAL_REPORT_CACHE_MS,
    sandbox: env.BI_LOCAL_SANDBOX,
    maxPayloadBytes: env.BI_LOCAL_MAX_PAYLOAD_BYTES,
    seed: env.BI_LOCAL_SEED,
    logRequests: env.BI_LOCAL_LOG_REQUESTS ?? false,
    faults: Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined)),
  };
}

/** The CLI's port: BI_LOCAL_PORT, else PORT, else 4010. */
export function cliPortFromEnv(source: Record<string, string | undefined>): number {
  const raw = source.BI_LOCAL_PORT || source.PORT;
  const port = z.coerce
    .number()
    .int()
    .min(0)
    .max(65_535)
    .safeParse(raw ?? DEFAULT_PORT);
  if (!port.success) throw new Error(`Invalid port: ${raw}`);
  return port.data;
}
