import path from "node:path";
import { markDemoDatabase } from "@/db/demo-database";
import { assertPatchedPostgresDriver } from "@/db/postgres-driver-check";
import { EnvError, parseEnv } from "@/lib/env";
import { workerNodeArgs } from "@/lib/jobs/worker-process";
import { runChild, say, shutdown } from "./launch/children";
import { provideLocalDefaults } from "./launch/local-defaults";
import { ensureProductionBuild, nextBin, nextStartArgs } from "./launch/production-build";

// `npm run dev`   development: next dev and a worker on local defaults (embedded PostgreSQL, demo
//                 data, local Benefits Intake and VA Notify) for whatever the environment leaves unset.
// `npm run demo`  the production build on those defaults, on its own embedded PostgreSQL only, with
//                 the development sign-in bound to that database (db/demo-database.ts).
// `npm start`     production: the web app alone on the settings given. Nothing is started, seeded or
//                 migrated (`npm run db:migrate` is its own step; `npm run worker` runs the jobs).

const MODES = ["dev", "demo", "start"] as const;
type Mode = (typeof MODES)[number];

const mode = process.argv[2] as Mode;
const dataDir = path.resolve(process.env.CLAIM_TRIAGE_DATA_DIR ?? ".data");

async function main() {
  if (!MODES.includes(mode)) throw new Error(`usage: launch.ts ${MODES.join("|")}`);
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env };
  const port = env.PORT || "3000";
  // Before any work: an unpatched driver would only be found after a build and a migration.
  assertPatchedPostgresDriver();

  if (mode === "demo") {
    if (env.DATABASE_URL) {
      throw new Error(
        "DATABASE_URL: `npm run demo` runs on its own embedded PostgreSQL and never on a database named from " +
          "outside; unset DATABASE_URL, or run `npm start` with the production settings",
      );
    }
    await provideLocalDefaults(env, { dataDir, port });
    // The sign-in without a password exists only on the database this launch started and marked.
    env.CLAIM_TRIAGE_DEMO_KEY = await markDemoDatabase(env.DATABASE_URL!);
    env.AUTH_DEV_LOGIN ??= "true";
  } else if (mode === "dev") {
    await provideLocalDefaults(env, { dataDir, port });
  }

  // The whole configuration, as the web app and the worker will see it, before anything is built.
  const production = mode !== "dev";
  const parsed = parseEnv({ ...env, NODE_ENV: production ? "production" : "development" });

  if (mode !== "start") {
    runChild(process.execPath, workerNodeArgs(parsed), { ...env, CLAIM_TRIAGE_SERVICE: "worker" }, "worker");
  }
  if (mode === "dev") {
    runChild(nextBin, ["dev", "-p", port], { ...env, NODE_ENV: "development" }, "web");
    say(`Claim Triage on http://localhost:${port} (sign in as viewer@, triager@ or admin@example.com)`);
    return;
  }
  await ensureProductionBuild(env, say);
  runChild(process.execPath, nextStartArgs(port), { ...env, NODE_ENV: "production" }, "web");
  say(
    mode === "demo"
      ? `Claim Triage demo on http://localhost:${port} (sign in as viewer@, triager@ or admin@example.com)`
      : `Claim Triage on port ${port} as ${env.NEXTAUTH_URL}`,
  );
}

main().catch(async (e) => {
  if (e instanceof EnvError && mode === "start") {
    console.error(`[claim-triage] npm start runs production and refuses to start without its settings.\n${e.message}`);
    console.error("[claim-triage] (`npm run demo` runs the production build on embedded defaults.)");
  } else {
    console.error(`[claim-triage] could not start: ${e instanceof Error ? e.message : e}`);
  }
  await shutdown(1);
});
