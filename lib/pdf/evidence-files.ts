import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { EvidenceInput } from "./attachments";
import { STORE_WHILE_SAVING_BYTES } from "./claim-package";
import { DocumentNotFoundError, type DocumentStorage, withTempDir } from "./storage";

// A claim's evidence as the PDF work takes it. Small files are read into memory as before. A large
// one is handed over as a file, which the PDF thread parses in place (file-source.ts): the local
// folder's own file, or, from object storage, a temporary copy streamed to disk. Holding a 99 MB
// scan whole (and, from S3, the ~40 MB of network buffers that arrived with it) was most of the
// worker's peak.

type StoredEvidence = { fileName: string; contentType: string; storageKey: string; byteSize: number };

/** Runs `build` with the evidence ready; temporary copies are removed afterwards, whatever happens. */
export async function withEvidence<T>(
  storage: DocumentStorage,
  evidence: StoredEvidence[],
  build: (attachments: EvidenceInput[]) => Promise<T>,
): Promise<T> {
  const large = evidence.some((e) => e.byteSize >= STORE_WHILE_SAVING_BYTES);
  if (!large) return build(await Promise.all(evidence.map((e) => inMemory(storage, e))));
  return withTempDir(async (dir) => {
    const inputs = await Promise.all(
      evidence.map((e, i) =>
        e.byteSize >= STORE_WHILE_SAVING_BYTES ? asFile(storage, e, path.join(dir, `${i}.pdf`)) : inMemory(storage, e),
      ),
    );
    return build(inputs);
  });
}

async function inMemory(storage: DocumentStorage, e: StoredEvidence): Promise<EvidenceInput> {
  return { fileName: e.fileName, contentType: e.contentType, bytes: await storage.read(e.storageKey) };
}

async function asFile(storage: DocumentStorage, e: StoredEvidence, temp: string): Promise<EvidenceInput> {
  const local = (storage as Partial<{ path(key: string): string }>).path?.(e.storageKey);
  let file = local;
  if (!file) {
    // The stream fails with DocumentNotFoundError before any byte, and on a short body: a temporary
    // copy is never taken for the document.
    await pipeline(storage.stream(e.storageKey), createWriteStream(temp, { flags: "wx" }));
    file = temp;
  }
  // The local folder's file is read in place (content-addressed: it never changes under its key).
  const byteLength = await stat(file).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      throw error.code === "ENOENT" ? new DocumentNotFoundError(e.storageKey) : error;
    },
  );
  return { fileName: e.fileName, contentType: e.contentType, file, byteLength };
}
