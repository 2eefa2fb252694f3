// Run by `npm install` (postinstall). Patches postgres.js (3.4.9, the newest release) where it
// crashes the process when PostgreSQL restarts or a connection is cut (upstream porsager/postgres
// #1208, #1154, #1066; fixes proposed in #1209, not released):
//  - a statement written on a connection whose socket has just closed (the ROLLBACK a transaction
//    sends after its connection died, a query on a reserved connection) is flushed from a
//    setImmediate that dereferences the now-null socket: an uncaught TypeError that takes the
//    worker (or the web app) down. Patched: the write settles its queries with CONNECTION_CLOSED.
//  - teardown cleared the write timer without forgetting it, so a connection that lost its socket
//    with a write pending never flushed again (its reconnects hang until connect_timeout, for ever).
// tests/integration/backup-faults.test.ts restarts PostgreSQL under a running worker and fails
// without this. Idempotent; when the driver's source no longer matches, it says so and does nothing.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const MARK = "/* claim-triage: nextWrite patch */";
const root = path.join(process.cwd(), "node_modules", "postgres");
const files = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"].map((f) => path.join(root, f));

const guard = `function nextWrite(fn) {
    ${MARK}
    if (socket === null) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }`;

for (const file of files) {
  if (!existsSync(file)) continue;
  const source = readFileSync(file, "utf8");
  if (source.includes(MARK)) continue;
  const teardown = /^( {4})clearImmediate\(nextWriteTimer\)$/gm;
  if (!source.includes("function nextWrite(fn) {") || (source.match(teardown) ?? []).length !== 2) {
    console.warn(`patch-postgres-driver: ${path.relative(process.cwd(), file)} is not the source this patch knows; left as it is`);
    continue;
  }
  const patched = source
    .replace("function nextWrite(fn) {", guard)
    .replace(teardown, "$1clearImmediate(nextWriteTimer)\n$1chunk = nextWriteTimer = null");
  writeFileSync(file, patched);
}
