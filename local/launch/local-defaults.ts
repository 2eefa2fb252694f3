import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { runSeed } from "@/lib/demo-seed";
import { parseEnv } from "@/lib/env";
import { getDocumentStorage } from "@/lib/storage";
import { onShutdown, say } from "./children";
import { startMissingServices } from "./local-services";

// What `npm run dev` and `npm run demo` provide so that one command runs everything: a database
// (embedded PostgreSQL in <data dir>/pg), its migrations and demo data, the local services, and
// secrets kept in the data dir. Whatever the environment already names is used as it is.
// `npm start` (production) uses none of this.

function persistentSecret(dataDir: string, file: string) {
  const full = path.join(dataDir, file);
  if (!existsSync(full)) writeFileSync(full, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(full, "utf8").trim();
}

export async function provideLocalDefaults(env: NodeJS.ProcessEnv, options: { dataDir: string; port: string }) {
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  if (!env.DATABASE_URL) {
    const pgDir = path.join(dataDir, "pg");
    const inside = pgDir.startsWith(process.cwd() + path.sep);
    say(`starting embedded PostgreSQL in ${inside ? path.relative(process.cwd(), pgDir) : pgDir}`);
    const db = await startEmbeddedDatabase({ dataDir: pgDir, persistent: true, log: say });
    env.DATABASE_URL = db.url;
    onShutdown(db.stop);
  }
  say("applying migrations");
  await migrateDatabase(env.DATABASE_URL);

  env.STORAGE_DIR ??= path.join(dataDir, "storage");
  const claims = Number(env.SEED_CLAIMS ?? 40_000);
  const storage = getDocumentStorage(parseEnv({ ...env, NODE_ENV: "development" }));
  await runSeed(env.DATABASE_URL, { claims, storage, log: say });

  const services = await startMissingServices(env, { dataDir, log: say });
  if (services) onShutdown(services.close);

  env.METRICS_TOKEN ??= persistentSecret(dataDir, "metrics-token");
  env.NEXTAUTH_URL ??= `http://localhost:${options.port}`;
  env.NEXTAUTH_SECRET ??= persistentSecret(dataDir, "nextauth-secret");
}
