import { type ChildProcess, spawn } from "node:child_process";

// The launcher's processes (web, worker) and what to stop when they end: one ending stops the rest,
// and the launcher exits with its code; SIGINT/SIGTERM stop everything and exit 0.

export function say(message: string) {
  console.log(`[claim-triage] ${message}`);
}

const children: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];
let shuttingDown = false;

/** Something to stop when the launcher ends (the embedded database, the local services). */
export function onShutdown(stop: () => Promise<void>) {
  stops.push(stop);
}

export function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, name: string) {
  const child = spawn(command, args, { env, stdio: "inherit", cwd: process.cwd() });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    say(`${name} exited (${signal ?? code}); stopping everything`);
    void shutdown(code ?? 1);
  });
  return child;
}

export async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : null)),
  );
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
