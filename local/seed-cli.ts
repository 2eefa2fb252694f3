import { runSeed } from "@/lib/demo-seed";
import { parseEnv } from "@/lib/env";
import { getDocumentStorage } from "@/lib/storage";

// `npm run db:seed`: seeds the database named by DATABASE_URL (the launcher sets it for the
// embedded server). SEED_CLAIMS sets the size; the evidence files go to the configured storage.
async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run `npm run dev` once, or set it to a PostgreSQL server");
  const claims = Number(process.env.SEED_CLAIMS ?? 40_000);
  if (!Number.isInteger(claims) || claims < 1) throw new Error("SEED_CLAIMS must be a positive integer");
  const storage = getDocumentStorage(parseEnv({ ...process.env, NODE_ENV: "development" }));
  await runSeed(url, { claims, storage, log: console.log });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
