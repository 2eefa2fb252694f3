import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import postgres from "postgres";

// `npm run demo` is the one production-mode path with the development sign-in, and only on the
// embedded database it started. Each launch makes a fresh key, stores the key's hash in that
// database as a setting of the database itself (ALTER DATABASE … SET, which only its owner or a
// superuser may do) and hands the key to the web app and the worker (CLAIM_TRIAGE_DEMO_KEY). At
// start-up each checks that the database it is connected to carries the hash of its key. A
// database named from outside never does: setting AUTH_DEV_LOGIN and a made-up or copied key in
// production stops the process instead of opening the password-less sign-in.

const SETTING = "claim_triage.demo_key_sha256";

const digest = (key: string) => createHash("sha256").update(key).digest("hex");

function connect(url: string) {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
}

// Called by the launcher on the embedded database it started; returns the key for its children.
export async function markDemoDatabase(url: string): Promise<string> {
  const key = randomBytes(32).toString("hex");
  const sql = connect(url);
  try {
    const [{ name }] = await sql<{ name: string }[]>`select current_database() as name`;
    // A utility statement takes no bound parameters: the name is quoted, the hash is hex.
    await sql.unsafe(`alter database "${name.replaceAll('"', '""')}" set ${SETTING} = '${digest(key)}'`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return key;
}

export async function isDemoDatabase(url: string, key: string): Promise<boolean> {
  const sql = connect(url);
  try {
    const [{ mark }] = await sql<{ mark: string | null }[]>`select current_setting(${SETTING}, true) as mark`;
    const expected = Buffer.from(digest(key));
    return mark !== null && mark.length === expected.length && timingSafeEqual(Buffer.from(mark), expected);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
