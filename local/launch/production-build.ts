import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export const nextBin = path.join(process.cwd(), "node_modules", ".bin", "next");

// `next start` as `npm start` and `npm run demo` run it (and bench/load-app.ts, to measure the same
// server): Node with a young generation of 64 MB semi-spaces, as `npm run ingest` has. An ingest
// request's records live while it is prepared and written, past V8's default young generation. In
// alternating runs of 100,000 records over HTTP into a 1,000,000-claim database the server used
// 10.9 and 11.1 CPU-s against 12.7 and 11.9, for 0-60 MB more peak RSS (629-688 MB against 619-626).
export function nextStartArgs(port: string, host?: string): string[] {
  const script = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  return ["--max-semi-space-size=64", script, "start", "-p", port, ...(host ? ["-H", host] : [])];
}

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
