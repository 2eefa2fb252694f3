import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { S3StorageConfig } from "@/lib/storage/s3-storage";

// A real S3-compatible server (s3rver, from npm) for the storage tests, on a free port with a
// scratch folder. It runs in a child process so its memory is not counted in the test's, and so
// a test can kill it mid-transfer; the IPC channel makes it exit if the test process dies.

const CHILD = `
const S3rver = require(process.env.S3_TEST_SERVER_MODULE);
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory: process.env.S3_TEST_DIR,
  configureBuckets: [{ name: process.env.S3_TEST_BUCKET }],
});
server.run().then(
  ({ port }) => process.send({ port }),
  (error) => { console.error(error); process.exit(1); },
);
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => server.close().finally(() => process.exit(0)));
`;

export type S3TestServer = {
  endpoint: string;
  bucket: string;
  /** A storage configuration for this server; s3rver's built-in account signs the requests. */
  storageConfig(prefix?: string): S3StorageConfig;
  /** SIGKILL, as a crashed or unreachable server would look to a client. */
  kill(): void;
  stop(): Promise<void>;
};

export async function startS3Server(bucket = "claim-triage-test"): Promise<S3TestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "claim-triage-s3-"));
  const child = spawn(process.execPath, ["-e", CHILD], {
    env: { ...process.env, S3_TEST_SERVER_MODULE: require.resolve("s3rver"), S3_TEST_DIR: dir, S3_TEST_BUCKET: bucket },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  let port: number;
  try {
    port = await portOf(child);
  } catch (error) {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    endpoint,
    bucket,
    storageConfig: (prefix = "") => ({
      bucket,
      prefix,
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    }),
    kill: () => child.kill("SIGKILL"),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function portOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("s3rver did not start within 20 s")), 20_000);
    child.once("message", (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited before listening (code ${code})`));
    });
  });
}
