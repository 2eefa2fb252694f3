import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { nextStartArgs } from "@/local/launch/production-build";

// The real app for the load benchmark: a production build in its own dist dir (so it never
// disturbs a developer's .next or the e2e build) and `next start` on a free loopback port.

const root = process.cwd();
const nextBin = path.join(root, "node_modules", ".bin", "next");

// What a build depends on. A build older than any of these is rebuilt: a stale build would
// measure yesterday's code.
const SOURCES = [
  "app",
  "components",
  "lib",
  "db",
  "next.config.js",
  "postcss.config.mjs",
  "instrumentation.ts",
  "package.json",
  "package-lock.json",
];

function newestMtime(p: string): number {
  const s = statSync(p, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

// `next build` adds "<distDir>/types/**/*.ts" to tsconfig.json's include; that line belongs to
// nobody's change, so it is taken out again (and the file left byte for byte as it was).
function restoreTsconfig(before: string, distDir: string) {
  const file = path.join(root, "tsconfig.json");
  const after = readFileSync(file, "utf8");
  if (after === before) return;
  const parsed = JSON.parse(after) as { include?: string[] };
  parsed.include = parsed.include?.filter((p) => !p.startsWith(`${distDir}/`));
  writeFileSync(
    file,
    JSON.stringify(parsed) === JSON.stringify(JSON.parse(before)) ? before : `${JSON.stringify(parsed, null, 2)}\n`,
  );
}

export async function ensureBuild(
  distDir: string,
  env: NodeJS.ProcessEnv,
  log: (s: string) => void,
): Promise<"reused" | "built"> {
  const buildId = path.join(root, distDir, "BUILD_ID");
  const fresh =
    existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  if (fresh && process.env.BENCH_REBUILD !== "true") return "reused";
  log(`load: building the web app into ${distDir} (next build)`);
  const tsconfig = readFileSync(path.join(root, "tsconfig.json"), "utf8");
  try {
    const build = spawn(nextBin, ["build"], {
      cwd: root,
      env: { ...env, NODE_ENV: "production", NEXT_DIST_DIR: distDir },
      stdio: ["ignore", process.stderr, process.stderr],
    });
    const code = await new Promise<number>((r) => build.once("exit", (c) => r(c ?? 1)));
    if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  } finally {
    restoreTsconfig(tsconfig, distDir);
  }
  return "built";
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// SIGTERM, then SIGKILL if it has not gone within `graceMs`.
export async function stopChild(child: ChildProcess, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

// A crash of the bench itself must not leave a server behind.
export function killOnExit(child: ChildProcess) {
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
}

export type NextServer = { url: string; pid: number; logFile: string; stop: () => Promise<void> };

export async function startNextServer(options: {
  distDir: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}): Promise<NextServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(options.logFile);
  // BENCH_PROFILE_DIR=/tmp/p: a CPU profile of the web server, written when it stops.
  const dir = process.env.BENCH_PROFILE_DIR;
  const profile = dir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(dir)}`] : [];
  const child = spawn(process.execPath, [...profile, ...nextStartArgs(String(port), "127.0.0.1")], {
    cwd: root,
    env: {
      ...options.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: options.distDir,
      NEXTAUTH_URL: url,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const stop = async () => {
    await stopChild(child, 10_000);
    log.end();
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(
        `next start exited (${child.exitCode}); see ${options.logFile}:\n${readFileSync(options.logFile, "utf8").slice(-2000)}`,
      );
    }
    const ok = await fetch(`${url}/signin`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer on ${url} within 90 s`);
    }
    await sleep(250);
  }
  return { url, pid: child.pid!, logFile: options.logFile, stop };
}

// The development sign-in as the browser does it: a CSRF token and its cookie, then the
// credentials callback, which answers with the session cookie.
export async function signInSession(baseUrl: string, email: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/dev`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ email, csrfToken, callbackUrl: `${baseUrl}/`, json: "true" }),
  });
  await res.arrayBuffer();
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c));
  if (!session) throw new Error(`sign-in as ${email} gave no session cookie (HTTP ${res.status})`);
  // The cookie must open a page, not bounce to /signin.
  const check = await fetch(`${baseUrl}/batches`, { headers: { cookie: session }, redirect: "manual" });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`session of ${email} does not open /batches (HTTP ${check.status})`);
  return session;
}

export function peakRssMb(pid: number) {
  try {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

// CPU seconds a process has used so far (user + system), from /proc: a figure that does not
// depend on how busy the rest of the machine is.
export function cpuSeconds(pid: number) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return NaN;
  }
}

// The same for a PostgreSQL server on this machine: the postmaster and all its backends.
export function postgresCpuSeconds(postmasterPid: number) {
  let total = cpuSeconds(postmasterPid);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ");
      if (Number(fields[1]) === postmasterPid) total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

// The postmaster of a PostgreSQL backend, by the backend's pid, when that server runs on this
// machine; NaN otherwise (a remote server's pid may name some unrelated local process).
export function postmasterOfBackend(pid: number) {
  try {
    if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") return NaN;
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
  } catch {
    return NaN;
  }
}
