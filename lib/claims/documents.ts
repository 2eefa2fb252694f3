import "server-only";
import { Zip, ZipPassThrough } from "fflate";
import { getEnv } from "../env";
import { getDocumentStorage } from "../storage";

// Serving the stamped PDFs: they contain PII, so responses are never cached or sniffed, and a zip
// of many documents is streamed one file at a time rather than built in memory.

export type StoredFile = { fileName: string; storageKey: string; byteSize: number };

// The process's one storage (an S3 client keeps its connections between requests).
export function documentStorage() {
  return getDocumentStorage(getEnv());
}

// ASCII fallback plus the RFC 5987 form, so a file name can never break out of the header.
export function contentDisposition(kind: "inline" | "attachment", fileName: string) {
  const ascii = fileName.replace(/[^\w.\- ]/g, "_").slice(0, 150) || "document";
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName.slice(0, 150))}`;
}

export const PRIVATE_FILE_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Cache-Control": "private, no-store",
  "Referrer-Policy": "no-referrer",
} as const;

export function pdfResponse(file: StoredFile, inline: boolean) {
  return new Response(documentStorage().webStream(file.storageKey), {
    headers: {
      ...PRIVATE_FILE_HEADERS,
      "Content-Type": "application/pdf",
      "Content-Length": String(file.byteSize),
      "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", file.fileName),
    },
  });
}

// Names inside the archive: unique, and grouped by attempt when the zip spans several.
export function zipEntryNames(files: { fileName: string; attemptNumber: number }[], byAttempt: boolean) {
  const used = new Set<string>();
  return files.map((f) => {
    const base = (byAttempt ? `attempt-${f.attemptNumber}/` : "") + f.fileName.replace(/[\\/]/g, "_");
    let name = base;
    for (let n = 2; used.has(name); n++) name = base.replace(/(\.pdf)?$/i, `-${n}$1`);
    used.add(name);
    return name;
  });
}

export function zipResponse(archiveName: string, entries: { name: string; storageKey: string }[]) {
  const storage = documentStorage();
  const zip = new Zip();
  let next = 0;
  let ended = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      zip.ondata = (error, chunk, final) => {
        if (error) return controller.error(error);
        controller.enqueue(chunk);
        if (final) controller.close();
      };
    },
    // One file per pull: memory holds one PDF at a time however many the archive has.
    async pull() {
      if (next < entries.length) {
        const entry = entries[next++];
        const file = new ZipPassThrough(entry.name); // PDFs are already compressed
        zip.add(file);
        file.push(new Uint8Array(await storage.read(entry.storageKey)), true);
      } else if (!ended) {
        ended = true;
        zip.end();
      }
    },
    cancel() {
      zip.terminate();
    },
  });
  return new Response(body, {
    headers: {
      ...PRIVATE_FILE_HEADERS,
      "Content-Type": "application/zip",
      "Content-Disposition": contentDisposition("attachment", archiveName),
    },
  });
}
