import path from "node:path";
import { unpatchedDriverFiles } from "./patch-postgres-driver.mjs";

// The web app and the worker call this before they serve: an install that skipped the postinstall
// patch (`npm ci --ignore-scripts`, a copied node_modules) would otherwise run the unpatched
// driver, which crashes the process when a database connection is cut (db/patch-postgres-driver.mjs).
export function assertPatchedPostgresDriver(root = process.cwd()) {
  const packageDir = path.join(root, "node_modules", "postgres");
  const unpatched = unpatchedDriverFiles(packageDir);
  if (unpatched.length === 0) return;
  throw new Error(
    `the postgres.js driver in ${packageDir} is not patched (${unpatched.join(", ")}). ` +
      "Run `node db/patch-postgres-driver.mjs` (npm install runs it) before starting.",
  );
}
