import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, freePort } from "../../bench/load-app";
import { PRODUCTION_SETTINGS, REQUIRED_IN_PRODUCTION, without } from "../support/production-env";
import { createThrowawayDatabase } from "../support/throwaway-database";

// `npm start`, the real command, as an operator runs it: it refuses to start without its settings
// (before building anything), and against a database of its own it neither migrates nor seeds it
// and offers no development sign-in, which no variable set from outside can turn on.

const root = process.cwd();
// One production build for this file, reused while no source is newer (bench/load-app.ts).
const DIST_DIR = ".next-production-start";

type Run = { child: ChildProcess; output: () => string; exited: Promise<number> };

// A clean environment: only what a shell gives npm, and the settings under test.
function npmRun(script: string, settings: Record<string, string>): Run {
  let output = "";
  const child = spawn("npm", ["run", script], {
    cwd: root,
    env: { NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, ...settings },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: npm, the launcher and next start stop together
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  return { child, output: () => output, exited };
}

async function stop(run: Run) {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  process.kill(-run.child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-run.child.pid!, "SIGKILL"), 15_000);
  await run.exited;
  clearTimeout(timer);
}

async function exitsWithin(run: Run, ms: number): Promise<number | "still running"> {
  const timeout = new Promise<"still running">((r) => setTimeout(() => r("still running"), ms));
  const result = await Promise.race([run.exited, timeout]);
  if (result === "still running") await stop(run);
  return result;
}

// Until the sign-in page answers, or the process ends (its code is then the answer).
async function serving(run: Run, url: string): Promise<true | number> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
    if (run.child.exitCode !== null) return run.child.exitCode;
    const answer = await fetch(url).catch(() => null);
    if (answer?.ok) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no answer from ${url}:\n${run.output().slice(-3000)}`);
}

async function tablesIn(url: string) {
  const sql = postgres(url, { max: 1 });
  try {
    return await sql<{ name: string }[]>`
      select table_schema || '.' || table_name as name from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema')`;
  } finally {
    await sql.end();
  }
}

describe("npm start without its settings", () => {
  // A build directory that must never come into being: the refusal comes before any build.
  const neverBuilt = `.next-never-built-${randomBytes(3).toString("hex")}`;

  it("refuses to start, naming each missing variable, before building anything", async () => {
    for (const name of REQUIRED_IN_PRODUCTION) {
      const run = npmRun("start", { ...without(name), NEXT_DIST_DIR: neverBuilt });
      expect(await exitsWithin(run, 30_000), name).toBe(1);
      expect(run.output(), name).toMatch(new RegExp(`^  ${name}: required in production$`, "m"));
      expect(run.output(), name).not.toContain("building the web app");
    }
    expect(existsSync(path.join(root, neverBuilt))).toBe(false);
  }, 600_000);

  it("refuses an http NEXTAUTH_URL and the development sign-in", async () => {
    for (const [name, value] of [
      ["NEXTAUTH_URL", "http://claims.example.gov"],
      ["AUTH_DEV_LOGIN", "true"],
    ]) {
      const run = npmRun("start", { ...PRODUCTION_SETTINGS, [name]: value, NEXT_DIST_DIR: neverBuilt });
      expect(await exitsWithin(run, 30_000), name).toBe(1);
      expect(run.output(), name).toMatch(new RegExp(`^  ${name}: `, "m"));
    }
    expect(existsSync(path.join(root, neverBuilt))).toBe(false);
  }, 120_000);
});

describe("npm start against a database of its own", () => {
  let migrated: Awaited<ReturnType<typeof createThrowawayDatabase>>;
  let empty: Awaited<ReturnType<typeof createThrowawayDatabase>>;

  beforeAll(async () => {
    await ensureBuild(DIST_DIR, { PATH: process.env.PATH, ...PRODUCTION_SETTINGS }, (line) => console.log(line));
    migrated = await createThrowawayDatabase("production_start");
    empty = await createThrowawayDatabase("production_start_empty");
  }, 900_000);

  afterAll(async () => {
    await migrated?.drop();
    await empty?.drop();
  });

  async function start(databaseUrl: string, extra: Record<string, string> = {}) {
    const port = await freePort();
    const run = npmRun("start", {
      ...PRODUCTION_SETTINGS,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      NEXT_DIST_DIR: DIST_DIR,
      LOG_LEVEL: "warn",
      ...extra,
    });
    return { run, base: `http://127.0.0.1:${port}` };
  }

  it("after `npm run db:migrate`, its own step: seeds nothing and offers only the identity provider", async () => {
    const migrate = npmRun("db:migrate", { DATABASE_URL: migrated.url });
    expect(await exitsWithin(migrate, 120_000)).toBe(0);
    const tablesBefore = await tablesIn(migrated.url);
    expect(tablesBefore.length).toBeGreaterThan(0);

    const { run, base } = await start(migrated.url);
    try {
      expect(await serving(run, `${base}/signin`)).toBe(true);
      const page = await (await fetch(`${base}/signin`)).text();
      expect(page).toContain("Sign in with VA single sign-on");
      expect(page).not.toContain("Development sign-in");
      expect(page).not.toMatch(/Sign in as /);

      const providers = (await (await fetch(`${base}/api/auth/providers`)).json()) as Record<string, { type: string }>;
      expect(Object.keys(providers)).toEqual(["oidc"]);
      expect(Object.values(providers).map((p) => p.type)).not.toContain("credentials");

      const sql = postgres(migrated.url, { max: 1 });
      try {
        const [{ users }] = await sql<{ users: number }[]>`select count(*)::int as users from users`;
        const [{ claims }] = await sql<{ claims: number }[]>`select count(*)::int as claims from saved_claims`;
        expect({ users, claims }).toEqual({ users: 0, claims: 0 });
      } finally {
        await sql.end();
      }
      // Nothing created beside the migrations: no worker's queue, no seed.
      expect(await tablesIn(migrated.url)).toEqual(tablesBefore);
    } finally {
      await stop(run);
    }
  }, 180_000);

  it("on a database never migrated: serves, and leaves it without a single table", async () => {
    const { run, base } = await start(empty.url);
    try {
      expect(await serving(run, `${base}/signin`)).toBe(true);
      expect(Object.keys(await (await fetch(`${base}/api/auth/providers`)).json())).toEqual(["oidc"]);
      expect(await tablesIn(empty.url)).toEqual([]);
    } finally {
      await stop(run);
    }
  }, 180_000);

  it("stops at start-up when the development sign-in is switched on with a key the database does not carry", async () => {
    const { run, base } = await start(migrated.url, {
      AUTH_DEV_LOGIN: "true",
      CLAIM_TRIAGE_DEMO_KEY: randomBytes(32).toString("hex"),
    });
    try {
      expect(await serving(run, `${base}/signin`)).toBe(1);
      expect(run.output()).toContain("CLAIM_TRIAGE_DEMO_KEY: this database was not started by `npm run demo`");
    } finally {
      await stop(run);
    }
  }, 180_000);
});
