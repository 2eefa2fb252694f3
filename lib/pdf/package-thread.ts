import { parentPort } from "node:worker_threads";
import { buildClaimPackage, type ClaimPackageInput, type StoringClaimPackage } from "./claim-package";
import { type DocumentReplyMessage, isDocumentReply, threadDocumentSender } from "./thread-documents";

// Runs inside a PDF thread (package-pool.ts): builds one claim's package per message and sends
// it back, the PDF bytes transferred rather than copied; with `store`, large evidence goes to the
// calling thread's storage in chunks as it is saved (thread-documents.ts). Errors travel as plain
// fields, since a class does not survive the structured clone.

export type ThreadRequest = { id: number; input: ClaimPackageInput; store: boolean };
export type ThreadError = { name: string; message: string; code?: string; fileName?: string; permanent?: boolean };
export type ThreadReply =
  | { id: number; ok: true; pkg: StoringClaimPackage }
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

const documents = threadDocumentSender((message, transfer) => parentPort?.postMessage(message, transfer ?? []));

parentPort?.on("message", async (message: ThreadRequest | DocumentReplyMessage) => {
  if (isDocumentReply(message)) return documents.onReply(message);
  const { id, input, store } = message;
  let reply: ThreadReply;
  try {
    const pkg = store ? await buildClaimPackage(input, documents.storeFor(id)) : await buildClaimPackage(input);
    reply = { id, ok: true, pkg };
  } catch (error) {
    reply = { id, ok: false, error: asThreadError(error) };
  }
  const docs = reply.ok ? [reply.pkg.main, ...reply.pkg.attachments] : [];
  const buffers = docs.flatMap((d) => ("bytes" in d ? [d.bytes.buffer as ArrayBuffer] : []));
  parentPort?.postMessage(reply, [...new Set(buffers)]);
});

// Loading the modules takes a second or so: a task's time limit starts from here.
parentPort?.postMessage({ ready: true } satisfies ThreadReply);
