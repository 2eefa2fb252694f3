import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const nextBin = path.join(process.cwd(), "node_modules", ".bin", "next");

// `npm start` and `npm run demo` serve one production build, made on the first start (or again
// with CLAIM_TRIAGE_REBUILD=true) in NEXT_DIST_DIR, .next by default.
export async function ensureProductionBuild(env: NodeJS.ProcessEnv, log: (line: string) => void) {
  const buildId = path.join(process.cwd(), env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  if (existsSync(buildId) && env.CLAIM_TRIAGE_REBUILD !== "true") return;
  log("building the web app (first start only; CLAIM_TRIAGE_REBUILD=true builds again)");
  const build = spawn(nextBin, ["build"], { env: { ...env, NODE_ENV: "production" }, stdio: "inherit" });
  const code = await new Promise<number>((r) => build.on("exit", (c) => r(c ?? 1)));
  if (code !== 0) throw new Error("next build failed");
}
