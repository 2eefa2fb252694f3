import { randomBytes } from "node:crypto";
import postgres from "postgres";

// An empty database of its own on the test server (the one DATABASE_URL names), for a test that
// must see exactly what a process did to a database: no tables unless it made them.
export async function createThrowawayDatabase(prefix: string) {
  const server = new URL(process.env.DATABASE_URL!);
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
