import { parentPort } from "node:worker_threads";
import { buildClaimPackage, type ClaimPackage, type ClaimPackageInput } from "./claim-package";

// Runs inside a PDF thread (package-pool.ts): builds one claim's package per message and sends
// it back, the PDF bytes transferred rather than copied. Errors travel as plain fields, since a
// class does not survive the structured clone.

export type ThreadRequest = { id: number; input: ClaimPackageInput };
export type ThreadError = { name: string; message: string; code?: string; fileName?: string; permanent?: boolean };
export type ThreadReply =
  | { id: number; ok: true; pkg: ClaimPackage }
  | { id: number; ok: false; error: ThreadError }
  | { ready: true };

function asThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const fields = error as Error & { code?: unknown; fileName?: unknown; permanent?: unknown };
  return {
    name: error.name,
    message: error.message,
    code: typeof fields.code === "string" ? fields.code : undefined,
    fileName: typeof fields.fileName === "string" ? fields.fileName : undefined,
    permanent: fields.permanent === true,
  };
}

parentPort?.on("message", async ({ id, input }: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    reply = { id, ok: true, pkg: await buildClaimPackage(input) };
  } catch (error) {
    reply = { id, ok: false, error: asThreadError(error) };
  }
  const buffers = reply.ok ? [reply.pkg.main, ...reply.pkg.attachments].map((d) => d.bytes.buffer as ArrayBuffer) : [];
  parentPort?.postMessage(reply, [...new Set(buffers)]);
});

// Loading the modules takes a second or so: a task's time limit starts from here.
parentPort?.postMessage({ ready: true } satisfies ThreadReply);
