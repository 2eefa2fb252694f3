// Run by `npm install` (postinstall). Patches postgres.js (3.4.9, the newest release) where it
// crashes the process when PostgreSQL restarts or a connection is cut (upstream porsager/postgres
// #1208, #1154, #1066; fixes proposed in #1209, not released):
//  - a statement written on a connection whose socket has just closed (the ROLLBACK a transaction
//    sends after its connection died, a query on a reserved connection) is flushed from a
//    setImmediate that dereferences the now-null socket: an uncaught TypeError that takes the
//    worker (or the web app) down. Patched: the write settles its queries with CONNECTION_CLOSED.
//  - teardown cleared the write timer without forgetting it, so a connection that lost its socket
//    with a write pending never flushed again (its reconnects hang until connect_timeout, for ever).
//  - a connection cut while it reads the array types (the first thing a new connection does, so
//    exactly what happens while PostgreSQL restarts) rejected a promise nobody awaited: an
//    unhandled rejection, which ends a Node process. Patched: that rejection is caught; the
//    connection's own error handling already fails its queries and reconnects.
// tests/integration/postgres-driver.test.ts reproduces each cut through a proxy, and
// tests/integration/backup-faults.test.ts restarts PostgreSQL under a running worker.
// Idempotent; when the driver's source no longer matches, it says so and leaves that file alone.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.join(process.cwd(), "node_modules", "postgres");
const files = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"].map((f) => path.join(root, f));

const teardown = /^( {4})clearImmediate\(nextWriteTimer\)$/gm;
const patches = [
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
    mark: "/* claim-triage: array types patch */",
    applies: (source) => (source.match(/return fetchArrayTypes\(\)$/gm) ?? []).length === 1,
    apply: (source, mark) =>
      source.replace(/return fetchArrayTypes\(\)$/m, `return fetchArrayTypes().catch(() => {}) ${mark}`),
  },
];

for (const file of files) {
  if (!existsSync(file)) continue;
  let source = readFileSync(file, "utf8");
  for (const { mark, applies, apply } of patches) {
    if (source.includes(mark)) continue;
    if (!applies(source)) {
      console.warn(
        `patch-postgres-driver: ${path.relative(process.cwd(), file)} is not the source this patch knows (${mark}); left as it is`,
      );
      continue;
    }
    source = apply(source, mark);
  }
  writeFileSync(file, source);
}
