import { isDemoDatabase } from "@/db/demo-database";
import { assertPatchedPostgresDriver } from "@/db/postgres-driver-check";
import type { Env } from "./env";

// What the web app (instrumentation.ts) and the worker (lib/jobs/worker-main.ts) check, after the
// environment parses, before they serve anything. A failure stops the process with the reason.
export async function checkStartUp(env: Env) {
  assertPatchedPostgresDriver();
  // The demo's key is honoured only on the database the demo marked (db/demo-database.ts).
  if (env.CLAIM_TRIAGE_DEMO_KEY) {
    const marked = env.DATABASE_URL ? await isDemoDatabase(env.DATABASE_URL, env.CLAIM_TRIAGE_DEMO_KEY) : false;
    if (!marked) {
      throw new Error(
        "CLAIM_TRIAGE_DEMO_KEY: this database was not started by `npm run demo`, the only production-mode " +
          "path with the development sign-in; unset CLAIM_TRIAGE_DEMO_KEY and AUTH_DEV_LOGIN",
      );
    }
  }
}
