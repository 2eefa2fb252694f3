import { runSeed } from "./index";

// `npm run db:seed`: seeds the database named by DATABASE_URL (the launcher sets it for the
// embedded server). SEED_CLAIMS sets the size.
async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run `npm run dev` once, or set it to a PostgreSQL server");
  const claims = Number(process.env.SEED_CLAIMS ?? 40_000);
  if (!Number.isInteger(claims) || claims < 1) throw new Error("SEED_CLAIMS must be a positive integer");
  await runSeed(url, { claims, storageDir: process.env.STORAGE_DIR ?? ".data/storage", log: console.log });
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
