import { z } from "zod";
import { oidcConfigProblem, oidcEnvFields } from "./auth/oidc-config";
import { ingestTokensSchema } from "./ingest/tokens";
import { NOTIFY_API_KEY_FORMAT_MESSAGE, NOTIFY_API_KEY_PATTERN } from "./notify/notify-api-key";
import { parseStorageUrl, STORAGE_URL_FORMAT_MESSAGE } from "./storage/storage-url";

// Parsed once per process. Start-up code (the Next instrumentation hook, the worker entry, the
// launcher) calls getEnv() first so a bad value stops the process before it serves anything.

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

// In production every outside service must be named (REQUIRED_IN_PRODUCTION below); in development
// the launcher fills them in.
const envSchemaFor = (isProduction: boolean, demo: boolean) => {
  // Defaults that fit the local stand-ins (development, and the demo on them), never production.
  const localDefault = (schema: z.ZodString, value: string) => (isProduction && !demo ? schema : schema.default(value));
  return z.object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    // The web's pool only: PostgreSQL cancels a statement that runs longer (lib/db.ts).
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),

    NEXTAUTH_URL: z.string().url().optional(),
    NEXTAUTH_SECRET: isProduction
      ? z.string().min(32, "must be at least 32 characters")
      : z.string().min(1).default("development-only-secret-not-for-production-use"),
    AUTH_DEV_LOGIN: bool.default(!isProduction),
    // How many proxies of ours stand in front of the web app: the audit log's client IP is the
    // address the outermost of them saw (lib/request-ip.ts). 0: clients reach Next directly.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // Set by `npm run demo` only, for the embedded database it marked (db/demo-database.ts).
    CLAIM_TRIAGE_DEMO_KEY: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "is not a key `npm run demo` made")
      .optional(),
    // OIDC_*: the identity provider, its groups and the roles they map to (lib/auth/oidc-config.ts).
    ...oidcEnvFields,

    BENEFITS_INTAKE_URL: z.string().url().optional(),
    BENEFITS_INTAKE_API_KEY: z.string().min(1).optional(),
    BENEFITS_INTAKE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),

    VA_NOTIFY_URL: z.string().url().optional(),
    // Checked here so a key that cannot sign a token stops start-up instead of failing every e-mail.
    VA_NOTIFY_API_KEY: z.string().regex(NOTIFY_API_KEY_PATTERN, NOTIFY_API_KEY_FORMAT_MESSAGE).optional(),
    // The template ids VA Notify gave this service; the local VA Notify takes any id.
    VA_NOTIFY_TEMPLATE_IN_PROGRESS: localDefault(z.string().min(1), "backup-in-progress-template"),
    VA_NOTIFY_TEMPLATE_FAILED: localDefault(z.string().min(1), "backup-failed-template"),
    VA_NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    // Alerts (lib/alerts, evaluated by the worker): where they go and the rules' thresholds. The webhook
    // takes Slack's incoming-webhook format; the e-mail goes to staff through VA Notify with its own template.
    ALERT_WEBHOOK_URL: z.string().url().optional(),
    ALERT_EMAIL_TO: z.string().optional(), // comma-separated addresses
    VA_NOTIFY_TEMPLATE_ALERT: z.string().min(1).default("staff-alert-template"),
    ALERT_BATCH_STALL_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
    ALERT_GROUP_GROWTH_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(25),
    ALERT_INTAKE_5XX_PERCENT: z.coerce.number().min(0).max(100).default(20),
    ALERT_INTAKE_MIN_CALLS: z.coerce.number().int().min(1).max(1_000_000).default(10),

    STORAGE_DIR: z.string().min(1).default(".data/storage"),
    // Object storage instead of STORAGE_DIR, for more than one machine (lib/storage).
    STORAGE_URL: z
      .string()
      .refine((url) => parseStorageUrl(url) !== null, STORAGE_URL_FORMAT_MESSAGE)
      .optional(),
    S3_ENDPOINT: z.string().url().optional(),
    AWS_ENDPOINT_URL_S3: z.string().url().optional(), // the AWS tools' own name, used when S3_ENDPOINT is unset
    AWS_REGION: z.string().min(1).optional(),
    AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
    AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    AWS_SESSION_TOKEN: z.string().min(1).optional(),
    S3_FORCE_PATH_STYLE: bool.optional(), // default: true when an endpoint is set

    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    WORKER_DB_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(8),
    // The worker's V8 old generation (lib/jobs/worker-process.ts says why it is capped).
    WORKER_MAX_HEAP_MB: z.coerce.number().int().min(64).max(65_536).default(192),
    // One claim's PDF work runs in a thread with its own heap and time limit (lib/pdf/package-pool.ts);
    // 0 threads: on the worker's own thread, unbounded.
    PDF_THREADS: z.coerce.number().int().min(0).max(16).default(1),
    PDF_THREAD_MAX_HEAP_MB: z.coerce.number().int().min(32).max(65_536).default(256),
    PDF_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    // Evidence past these is a permanent failure of its claim (lib/pdf/limits.ts).
    EVIDENCE_MAX_IMAGE_PIXELS: z.coerce.number().int().min(1).max(1_000_000_000).default(50_000_000),
    EVIDENCE_MAX_INFLATED_MB: z.coerce.number().int().min(1).max(65_536).default(256),
    EVIDENCE_MAX_PDF_PAGES: z.coerce.number().int().min(1).max(1_000_000).default(5_000),
    // The worker's /health and /ready for an orchestrator (lib/jobs/worker-health.ts); unset: none.
    WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    // On SIGTERM a worker takes no new jobs and waits this long for running ones, then hands them back.
    WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
    // Divides the Sidekiq retry delays: 1 in production, large in demos and tests.
    RETRY_TIME_FACTOR: z.coerce.number().min(1).max(1_000_000).default(1),
    // Divides the wait between the starts of a batch slower than one claim a dispatch tick, down to a
    // tick (lib/batches/dispatch-schedule.ts): demos and the browser tests only, refused in production.
    DISPATCH_TIME_FACTOR: z.coerce.number().min(1).max(1_000).default(1),
    BACKUP_MAX_RETRIES: z.coerce.number().int().min(0).max(25).default(16),
    STATUS_POLL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    BATCH_DEFAULT_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
    // The most backups one batch may hold (lib/batches/batch-limit.ts): larger selections are refused.
    BATCH_MAX_CLAIMS: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
    // All running batches together start at most this many backups a minute (lib/batches/global-rate.ts); unset: no cap.
    BENEFITS_INTAKE_MAX_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).optional(),

    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
    // Service tokens of the systems of record that send claims (/api/ingest); none means ingest is off.
    INGEST_TOKENS: ingestTokensSchema,
    // The browser tests only: where Chromium's CSP violation reports are kept (app/api/csp-report).
    CSP_REPORT_FILE: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  });
};

export type Env = z.infer<ReturnType<typeof envSchemaFor>>;

export class EnvError extends Error {}

// What a production process cannot start without. `npm run demo` (production on embedded
// defaults, its key set) signs people in with the development sign-in, so it needs no OIDC, and
// its local VA Notify takes any template id.
const REQUIRED_IN_PRODUCTION = [
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
const NOT_REQUIRED_IN_DEMO = new Set<string>([
  "OIDC_ISSUER",
  "OIDC_CLIENT_ID",
  "OIDC_CLIENT_SECRET",
  "VA_NOTIFY_TEMPLATE_IN_PROGRESS",
  "VA_NOTIFY_TEMPLATE_FAILED",
]);

// Every problem at once, each naming its variable, so a deployment is fixed in one round.
function productionProblems(source: Record<string, string | undefined>): Map<string, string> {
  const demo = Boolean(source.CLAIM_TRIAGE_DEMO_KEY);
  const problems = new Map<string, string>();
  for (const name of REQUIRED_IN_PRODUCTION) {
    if (!source[name] && !(demo && NOT_REQUIRED_IN_DEMO.has(name))) problems.set(name, "required in production");
  }
  // The session cookie is Secure only when NEXTAUTH_URL is https; the demo runs on localhost.
  if (source.NEXTAUTH_URL && !demo && !source.NEXTAUTH_URL.startsWith("https://")) {
    problems.set("NEXTAUTH_URL", "must be an https:// address in production");
  }
  // It breaks the promise a batch's rate makes ("at most 2 a minute").
  if (source.DISPATCH_TIME_FACTOR && Number(source.DISPATCH_TIME_FACTOR) !== 1 && !demo)
    problems.set("DISPATCH_TIME_FACTOR", "only for demos and tests: batches would start faster than their rate");
  if (source.CSP_REPORT_FILE && !demo) problems.set("CSP_REPORT_FILE", "only for the browser tests (`npm run demo`)");
  if (/^(true|1)$/.test(source.AUTH_DEV_LOGIN ?? "") && !demo) {
    problems.set("AUTH_DEV_LOGIN", "the development sign-in is not available in production (`npm run demo` has it)");
  }
  return problems;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const isProduction = source.NODE_ENV === "production";
  const result = envSchemaFor(isProduction, Boolean(source.CLAIM_TRIAGE_DEMO_KEY)).safeParse(source);
  const problems = isProduction ? productionProblems(source) : new Map<string, string>();
  for (const issue of result.error?.issues ?? []) {
    const name = issue.path.join(".");
    // A variable that is missing is named once, as missing, not also as "expected string".
    if (!(problems.has(name) && !source[name])) problems.set(name, issue.message);
  }
  if (problems.size > 0 || !result.success) {
    const lines = [...problems].map(([name, message]) => `  ${name}: ${message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  const oidcProblem = oidcConfigProblem(env);
  if (oidcProblem) throw new EnvError(`Invalid configuration:\n  ${oidcProblem}`);
  const storageProblem = storageConfigProblem(env);
  if (storageProblem) throw new EnvError(`Invalid configuration:\n  ${storageProblem}`);
  return env;
}

function storageConfigProblem(env: Env): string | undefined {
  // Without STORAGE_URL the documents would quietly stay in this machine's folder.
  if (!env.STORAGE_URL) {
    return env.S3_ENDPOINT || env.S3_FORCE_PATH_STYLE !== undefined
      ? "STORAGE_URL: required when S3_ENDPOINT or S3_FORCE_PATH_STYLE is set (s3://bucket/prefix)"
      : undefined;
  }
  if (Boolean(env.AWS_ACCESS_KEY_ID) !== Boolean(env.AWS_SECRET_ACCESS_KEY)) {
    return "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together";
  }
  // AWS itself answers for a bucket only in its own region; an S3-compatible server takes any.
  if (!env.S3_ENDPOINT && !env.AWS_ENDPOINT_URL_S3 && !env.AWS_REGION) {
    return "AWS_REGION: required with STORAGE_URL on AWS (the bucket's region), or set S3_ENDPOINT";
  }
  return undefined;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
