import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { runSeed } from "@/db/seed";
import { createDocumentStorage } from "@/lib/pdf/storage";

// `npm test`: a throwaway PostgreSQL (unless DATABASE_URL is set), migrations, a small demo seed,
// then vitest (unit + integration) and Playwright (browser) against that one database.

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
  if (!env.DATABASE_URL) {
    const db = await startEmbeddedDatabase({ dataDir: path.join(scratch, "pg"), persistent: false });
    env.DATABASE_URL = db.url;
    stop = db.stop;
  }
  let code = 1;
  try {
    await migrateDatabase(env.DATABASE_URL);
    await runSeed(env.DATABASE_URL, {
      claims: Number(env.TEST_SEED_CLAIMS ?? 3000),
      storage: createDocumentStorage(env.STORAGE_DIR!),
      log: () => {},
    });
    const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
    // `npm test -- unit|integration|e2e [file filter…]` runs one part (or some of its files).
    const [only, ...filters] = process.argv.slice(2);
    code = 0;
    if (!only || only === "unit" || only === "integration") {
      code = await run(bin("vitest"), ["run", ...(filters.length ? filters : only ? [`tests/${only}`] : [])], env);
    }
    if (code === 0 && (!only || only === "e2e")) {
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
