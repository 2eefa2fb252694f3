import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { runSeed } from "@/lib/demo-seed";
import { createDocumentStorage } from "@/lib/pdf/storage";

// `npm test`: a throwaway PostgreSQL (unless DATABASE_URL is set), migrations, a small demo seed,
// then vitest (unit + integration), then Playwright (browser) on that server's database made afresh:
// the browser tests count alerts, batches and claims on pages, and must not see what the
// integration suites left (their batches, their Benefits Intake 5xx calls firing alerts).

async function prepareDatabase(url: string, storageDir: string) {
  await migrateDatabase(url);
  await runSeed(url, {
    claims: Number(process.env.TEST_SEED_CLAIMS ?? 3000),
    storage: createDocumentStorage(storageDir),
    log: () => {},
  });
}

// Drops and creates the database the URL names, on its own server (never one named from outside:
// only the embedded server tests/run.ts started is made afresh). The audit log refuses DELETE and
// TRUNCATE by design, so a fresh database is the one way to a clean one.
async function recreateDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const admin = postgres(maintenance.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

// Biome (lint + format) and knip (unused files, exports, dependencies) run before the suites: a
// finding fails `npm test` as a failing test would. `npm test -- lint` runs them alone.
async function runChecks(env: NodeJS.ProcessEnv): Promise<number> {
  const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
  const biome = await run(bin("biome"), ["ci", "."], env);
  if (biome !== 0) return biome;
  return run(bin("knip"), ["--no-progress"], env);
}

async function main() {
  const [only] = process.argv.slice(2);
  if (!only || only === "lint") {
    const checks = await runChecks(process.env);
    if (checks !== 0 || only === "lint") process.exit(checks);
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), "claim-triage-test-"));
  chmodSync(scratch, 0o755); // PostgreSQL runs as its own user when we are root: it must get in

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    STORAGE_DIR: path.join(scratch, "storage"),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  };
  let stop = async () => {};
  let embedded = false;
  if (!env.DATABASE_URL) {
    embedded = true;
    const db = await startEmbeddedDatabase({ dataDir: path.join(scratch, "pg"), persistent: false });
    env.DATABASE_URL = db.url;
    stop = db.stop;
  }
  let code = 1;
  try {
    await prepareDatabase(env.DATABASE_URL, env.STORAGE_DIR!);
    const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
    // `npm test -- unit|integration|e2e [file filter…]` runs one part (or some of its files).
    const [only, ...filters] = process.argv.slice(2);
    code = 0;
    if (!only || only === "unit" || only === "integration") {
      code = await run(bin("vitest"), ["run", ...(filters.length ? filters : only ? [`tests/${only}`] : [])], env);
    }
    if (code === 0 && (!only || only === "e2e")) {
      if (!only && embedded) {
        env.STORAGE_DIR = path.join(scratch, "storage-e2e");
        await recreateDatabase(env.DATABASE_URL);
        await prepareDatabase(env.DATABASE_URL, env.STORAGE_DIR);
      }
      // The app under test runs as production; NODE_ENV=test would confuse Next.
      const { NODE_ENV: _omit, ...appEnv } = env;
      code = await run(bin("playwright"), ["test", ...filters], {
        ...appEnv,
        CLAIM_TRIAGE_DATA_DIR: scratch,
      } as unknown as NodeJS.ProcessEnv);
    }
  } finally {
    await stop().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
