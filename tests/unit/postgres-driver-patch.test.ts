import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCHED_POSTGRES_VERSION } from "@/db/patch-postgres-driver.mjs";
import { assertPatchedPostgresDriver } from "@/db/postgres-driver-check";

// The postgres.js patch (db/patch-postgres-driver.mjs): pinned, loud when it cannot apply, and
// checked by the processes themselves, so an install without scripts cannot ship the crash back.

const repo = process.cwd();
const installed = path.join(repo, "node_modules", "postgres");
const script = path.join(repo, "db", "patch-postgres-driver.mjs");
const DRIVER_FILES = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"];

let scratch: string;
let pristineTarball: string;

// A root whose node_modules/postgres is the driver as npm delivers it (from npm's cache, where the
// install left it), with `edit` applied to each of its connection.js files.
function rootWithDriver(name: string, edit: (source: string) => string = (s) => s) {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, "node_modules"), { recursive: true });
  execFileSync("tar", ["xzf", pristineTarball, "-C", path.join(root, "node_modules")]);
  cpSync(path.join(root, "node_modules", "package"), path.join(root, "node_modules", "postgres"), { recursive: true });
  rmSync(path.join(root, "node_modules", "package"), { recursive: true });
  for (const file of DRIVER_FILES) {
    const full = path.join(root, "node_modules", "postgres", file);
    writeFileSync(full, edit(readFileSync(full, "utf8")));
  }
  return root;
}

const driverOf = (root: string) => path.join(root, "node_modules", "postgres");
const patch = (root: string) => spawnSync(process.execPath, [script, driverOf(root)], { encoding: "utf8" });
const sources = (dir: string) => DRIVER_FILES.map((f) => readFileSync(path.join(dir, f), "utf8"));

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "claim-triage-driver-"));
  const packed = execFileSync("npm", ["pack", `postgres@${PATCHED_POSTGRES_VERSION}`, "--offline", "--silent"], {
    cwd: scratch,
    encoding: "utf8",
  });
  pristineTarball = path.join(scratch, packed.trim().split("\n").pop()!);
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the postgres.js driver patch", () => {
  it("is pinned to exactly the version it was written for, and the installed driver is that one, patched", () => {
    const manifest = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8"));
    expect(manifest.dependencies.postgres).toBe(PATCHED_POSTGRES_VERSION);
    expect(JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")).version).toBe(
      PATCHED_POSTGRES_VERSION,
    );
    expect(() => assertPatchedPostgresDriver(repo)).not.toThrow();
  });

  it("refuses the driver as npm delivers it (what `npm ci --ignore-scripts` leaves)", () => {
    const root = rootWithDriver("unpatched");
    expect(() => assertPatchedPostgresDriver(root)).toThrow(
      /not patched \(src\/connection\.js, cjs\/src\/connection\.js, cf\/src\/connection\.js\)/,
    );
  });

  it("patches that driver into exactly the installed one, and a second run changes nothing", () => {
    const root = rootWithDriver("patched");
    expect(patch(root).status).toBe(0);
    expect(sources(driverOf(root))).toEqual(sources(installed));
    expect(() => assertPatchedPostgresDriver(root)).not.toThrow();
    expect(patch(root).status).toBe(0);
    expect(sources(driverOf(root))).toEqual(sources(installed));
  });

  it("fails the install, loudly and leaving every file as it was, when the source is not the one it knows", () => {
    const root = rootWithDriver("changed", (s) => s.replace("function nextWrite(fn) {", "function nextWrite (fn) {"));
    const before = sources(driverOf(root));
    const run = patch(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("FAILED");
    expect(run.stderr).toContain("src/connection.js is not the source the patch knows");
    expect(sources(driverOf(root))).toEqual(before);
    expect(() => assertPatchedPostgresDriver(root)).toThrow(/not patched/);
  });

  it("fails the install when another version of the driver is installed", () => {
    const root = rootWithDriver("other-version");
    const manifest = path.join(driverOf(root), "package.json");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/"version": "[^"]+"/, '"version": "3.4.10"'));
    const run = patch(root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`postgres 3.4.10 is installed; the patch was written for ${PATCHED_POSTGRES_VERSION}`);
  });

  it("stops the worker at start-up when its driver is not patched", () => {
    // The worker checks the driver under its working directory, as `npm run worker` runs it.
    const root = rootWithDriver("worker");
    const run = spawnSync(
      process.execPath,
      ["--import", path.join(repo, "node_modules/tsx/dist/loader.mjs"), path.join(repo, "lib/jobs/worker-main.ts")],
      {
        cwd: root,
        encoding: "utf8",
        timeout: 30_000,
        env: { ...process.env, NODE_ENV: "test", TSX_TSCONFIG_PATH: path.join(repo, "tsconfig.json") },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/worker could not start: the postgres\.js driver in .* is not patched/);
  });
});
