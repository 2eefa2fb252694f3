// Run by `npm install` (postinstall). Patches postgres.js (3.4.9, the newest release) where it
// crashes the process when PostgreSQL restarts or a connection is cut (upstream porsager/postgres
// #1208, #1154, #1066; fixes proposed in #1209, not released):
//  - a statement written on a connection whose socket has just closed (the ROLLBACK a transaction
//    sends after its connection died, a query on a reserved connection) is flushed from a
//    setImmediate that dereferences the now-null socket: an uncaught TypeError that takes the
//    worker (or the web app) down. Patched: the write settles its queries with CONNECTION_CLOSED.
//  - teardown cleared the write timer without forgetting it, so a connection that lost its socket
//    with a write pending never flushed again (its reconnects hang until connect_timeout, for ever).
//  - a COPY … FROM STDIN refused by PostgreSQL after its stream ended never settled the stream
//    (upstream #1173; fix proposed in #1183): its caller hung inside its transaction.
//  - a connection cut while it reads the array types (the first thing a new connection does, so
//    exactly what happens while PostgreSQL restarts) rejected a promise nobody awaited: an
//    unhandled rejection, which ends a Node process. Patched: that rejection is caught; the
//    connection's own error handling already fails its queries and reconnects.
// tests/integration/postgres-driver.test.ts reproduces each cut through a proxy, and
// tests/integration/backup-faults.test.ts restarts PostgreSQL under a running worker.
//
// package.json pins `postgres` to exactly the version below. Idempotent. When the installed driver
// is another version or its source is not the one this patch knows, the install FAILS: shipping the
// unpatched driver brings the crash back. The web app and the worker check the same marks at
// start-up (db/postgres-driver-check.ts), so `npm ci --ignore-scripts` cannot ship it either.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const PATCHED_POSTGRES_VERSION = "3.4.9";

// The ESM build, the CommonJS build (what Next's server requires) and the Workers build.
const DRIVER_FILES = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"];

const teardown = /^( {4})clearImmediate\(nextWriteTimer\)$/gm;
const PATCHES = [
  {
    mark: "/* claim-triage: nextWrite patch */",
    applies: (source) => source.includes("function nextWrite(fn) {") && (source.match(teardown) ?? []).length === 2,
    apply: (source, mark) =>
      source
        .replace(
          "function nextWrite(fn) {",
          `function nextWrite(fn) {
    ${mark}
    if (socket === null) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }`,
        )
        .replace(teardown, "$1clearImmediate(nextWriteTimer)\n$1chunk = nextWriteTimer = null"),
  },
  {
    // A COPY … FROM STDIN that PostgreSQL refuses after the stream has ended (a value that does
    // not fit its column) never settled the stream: whoever awaited it hung for ever, inside a
    // transaction that was then never rolled back (upstream #1173, fix proposed in #1183). Patched:
    // the stream's pending end fails with PostgreSQL's error.
    mark: "/* claim-triage: copy error patch */",
    applies: (source) =>
      (source.match(/^ {4}stream && \(stream\.destroy\(err\), stream = null\)$/gm) ?? []).length === 1,
    apply: (source, mark) =>
      source.replace(
        /^( {4})stream && \(stream\.destroy\(err\), stream = null\)$/m,
        `$&\n$1final && (final(err), final = null) ${mark}`,
      ),
  },
  {
    mark: "/* claim-triage: array types patch */",
    applies: (source) => (source.match(/return fetchArrayTypes\(\)$/gm) ?? []).length === 1,
    apply: (source, mark) =>
      source.replace(/return fetchArrayTypes\(\)$/m, `return fetchArrayTypes().catch(() => {}) ${mark}`),
  },
];

/** The driver's files in `packageDir` (node_modules/postgres) that lack a patch; none when it is patched. */
export function unpatchedDriverFiles(packageDir) {
  return DRIVER_FILES.filter((file) => {
    const full = path.join(packageDir, file);
    const source = existsSync(full) ? readFileSync(full, "utf8") : "";
    return PATCHES.some(({ mark }) => !source.includes(mark));
  });
}

/** Patches the driver in `packageDir`; throws, saying what did not apply, rather than leave it half done. */
export function patchPostgresDriver(packageDir) {
  const manifest = path.join(packageDir, "package.json");
  const version = existsSync(manifest) ? JSON.parse(readFileSync(manifest, "utf8")).version : "(not installed)";
  if (version !== PATCHED_POSTGRES_VERSION) {
    throw new Error(
      `postgres ${version} is installed; the patch was written for ${PATCHED_POSTGRES_VERSION}. Pin ` +
        `"postgres": "${PATCHED_POSTGRES_VERSION}" in package.json, or port the patch (see porsager/postgres#1209).`,
    );
  }
  const patched = new Map();
  const refused = [];
  for (const file of DRIVER_FILES) {
    const full = path.join(packageDir, file);
    if (!existsSync(full)) {
      refused.push(`${file} is missing`);
      continue;
    }
    let source = readFileSync(full, "utf8");
    for (const { mark, applies, apply } of PATCHES) {
      if (source.includes(mark)) continue;
      if (!applies(source)) refused.push(`${file} is not the source the patch knows (${mark})`);
      else source = apply(source, mark);
    }
    patched.set(full, source);
  }
  if (refused.length > 0) throw new Error(refused.join("\n"));
  for (const [full, source] of patched) writeFileSync(full, source);
}

// `node db/patch-postgres-driver.mjs [node_modules/postgres]`
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const packageDir = path.resolve(process.argv[2] ?? path.join("node_modules", "postgres"));
  try {
    patchPostgresDriver(packageDir);
  } catch (e) {
    console.error(
      `\npatch-postgres-driver: FAILED: the postgres.js driver in ${packageDir} could not be patched.\n` +
        `${e instanceof Error ? e.message : e}\n` +
        "Unpatched, a cut database connection crashes the web app and the worker; they refuse to start without it.\n",
    );
    process.exit(1);
  }
}
