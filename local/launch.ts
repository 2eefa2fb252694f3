import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { runSeed } from "@/db/seed";
import { parseEnv } from "@/lib/env";
import { workerNodeArgs } from "@/lib/jobs/worker-process";
import { getDocumentStorage } from "@/lib/storage";

// `npm run dev` and `npm start`: everything on embedded defaults. Whatever the environment already
// names (DATABASE_URL, BENEFITS_INTAKE_URL, …) is used as it is; only what is missing is started here.

const mode = process.argv[2] === "start" ? "start" : "dev";
const root = process.cwd();
const dataDir = path.resolve(process.env.CLAIM_TRIAGE_DATA_DIR ?? ".data");
const children: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];

function say(message: string) {
  console.log(`[claim-triage] ${message}`);
}

function persistentSecret(file: string) {
  const full = path.join(dataDir, file);
  if (!existsSync(full)) writeFileSync(full, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(full, "utf8").trim();
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, name: string) {
  const child = spawn(command, args, { env, stdio: "inherit", cwd: root });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    say(`${name} exited (${signal ?? code}); stopping everything`);
    void shutdown(code ?? 1);
  });
  return child;
}

let shuttingDown = false;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : null)),
  );
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env };
  const port = env.PORT ?? "3000";

  if (!env.DATABASE_URL) {
    say("DATABASE_URL not set: starting embedded PostgreSQL in .data/pg");
    const db = await startEmbeddedDatabase({ dataDir: path.join(dataDir, "pg"), persistent: true, log: say });
    env.DATABASE_URL = db.url;
    stops.push(db.stop);
  }
  say("applying migrations");
  await migrateDatabase(env.DATABASE_URL);

  env.STORAGE_DIR ??= path.join(dataDir, "storage");
  const claims = Number(env.SEED_CLAIMS ?? 40_000);
  const storage = getDocumentStorage(parseEnv({ ...env, NODE_ENV: "development" }));
  await runSeed(env.DATABASE_URL, { claims, storage, log: say });

  if (!env.BENEFITS_INTAKE_URL) {
    const { startLocalBenefitsIntake, optionsFromEnv } = await import("./benefits-intake");
    // BI_LOCAL_* knobs (latency, faults, timing) pass through; the port is picked here.
    const service = await startLocalBenefitsIntake({
      ...optionsFromEnv(env),
      port: Number(env.BI_LOCAL_PORT ?? 0),
      dataDir: path.join(dataDir, "benefits-intake"),
    });
    stops.push(service.close);
    env.BENEFITS_INTAKE_URL = service.url;
    env.BENEFITS_INTAKE_API_KEY = service.apiKey;
    env.VA_NOTIFY_URL ??= service.notifyUrl;
    env.VA_NOTIFY_API_KEY ??= service.notifyApiKey;
    // Demos should not wait hours for the Sidekiq schedule; production leaves this at 1.
    env.RETRY_TIME_FACTOR ??= "60";
    say(`local Benefits Intake service at ${service.url}`);
  }
  env.METRICS_TOKEN ??= persistentSecret("metrics-token");
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  env.NEXTAUTH_SECRET ??= persistentSecret("nextauth-secret");
  // `npm start` on embedded defaults is a local demo: keep the seeded sign-in available.
  if (mode === "start") env.AUTH_DEV_LOGIN ??= "true";

  // Check the whole configuration now, as the web app and the worker will see it.
  parseEnv({ ...env, NODE_ENV: mode === "start" ? "production" : "development" });

  const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
  run(process.execPath, workerNodeArgs(env), { ...env, CLAIM_TRIAGE_SERVICE: "worker" }, "worker");
  if (mode === "dev") {
    run(bin("next"), ["dev", "-p", port], { ...env, NODE_ENV: "development" }, "web");
  } else {
    if (!existsSync(path.join(root, env.NEXT_DIST_DIR || ".next", "BUILD_ID")) || env.CLAIM_TRIAGE_REBUILD === "true") {
      say("building the web app (first `npm start` only)");
      const build = spawn(bin("next"), ["build"], {
        env: { ...env, NODE_ENV: "production" },
        stdio: "inherit",
        cwd: root,
      });
      const code = await new Promise<number>((r) => build.on("exit", (c) => r(c ?? 1)));
      if (code !== 0) throw new Error("next build failed");
    }
    run(bin("next"), ["start", "-p", port], { ...env, NODE_ENV: "production" }, "web");
  }
  say(`Claim Triage on http://localhost:${port} (sign in as viewer@, triager@ or admin@example.com)`);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch(async (e) => {
  console.error(`[claim-triage] could not start: ${e instanceof Error ? e.message : e}`);
  await shutdown(1);
});
