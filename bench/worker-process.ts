import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { markDemoDatabase } from "@/db/demo-database";
import { workerNodeArgs } from "@/lib/jobs/worker-process";

// A worker as production runs it: its own process (lib/jobs/worker-process.ts),
// talking to the bench database and the local Benefits Intake service over the network.

export function peakRssMb(pid: number) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

type Service = { url: string; apiKey: string; notifyUrl: string; notifyApiKey: string };

// What a bench worker or web server needs to reach the bench database and the local services. They
// run in production mode on a database the bench started, marked as a demo database as `npm run
// demo` marks its own, so the development sign-in the load test uses is allowed there and nowhere else.
export async function benchAppEnv(url: string, scratch: string, service: Service): Promise<NodeJS.ProcessEnv> {
  return {
    CLAIM_TRIAGE_DEMO_KEY: await markDemoDatabase(url),
    ...process.env,
    DATABASE_URL: url,
    NEXTAUTH_URL: "http://localhost:3000", // the load test's web server sets its own
    NEXTAUTH_SECRET: "x".repeat(32),
    AUTH_DEV_LOGIN: "true",
    METRICS_TOKEN: "bench-metrics-token-000",
    BENEFITS_INTAKE_URL: service.url,
    BENEFITS_INTAKE_API_KEY: service.apiKey,
    VA_NOTIFY_URL: service.notifyUrl,
    VA_NOTIFY_API_KEY: service.notifyApiKey,
    STORAGE_DIR: path.join(scratch, "storage"),
    LOG_LEVEL: "error",
  };
}

export async function spawnBenchWorker(url: string, scratch: string, service: Service, env: Record<string, string>) {
  const profile = process.env.BENCH_PROFILE_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...workerNodeArgs()], {
    env: { ...(await benchAppEnv(url, scratch, service)), NODE_ENV: "production", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(child.pid!))), 500);
  return {
    child,
    peakRssMb: () => Math.max(peak, peakRssMb(child.pid!)),
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
