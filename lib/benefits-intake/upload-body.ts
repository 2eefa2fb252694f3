import { type Hash, randomBytes } from "node:crypto";
import type { PackageFile, UploadPackage } from "./types";

// The multipart body of a Benefits Intake upload (docs/design.md §5), laid out and streamed: the
// client (client.ts) sends it and checks the ETag against the MD5 hashed on the way.

// Field and file names go into quoted header parameters; escape as the HTML form encoder does.
function quoteParam(value: string): string {
  return value.replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/"/g, "%22");
}

type StreamedFile = Extract<PackageFile, { open: unknown }>;

/** A multipart body as the pieces it is made of: the documents' own bytes, never copied into one. */
export type EncodedUploadPackage = {
  parts: (Uint8Array | StreamedFile)[];
  byteLength: number;
  contentType: string;
};

/**
 * Lays the package out exactly as it will be sent. Encoded by hand rather than through Node's
 * FormData: that one streams Blobs in small chunks and took seconds for a 100 MB document. The
 * documents are not copied: the body is the list of boundaries and the documents' own bytes, or,
 * for a document in storage, its stream (a 99 MB evidence file was held three times over: the
 * package, the joined body, and fetch's copy of it). Every part carries the Content-Type Benefits
 * Intake's parser requires (application/json or application/pdf).
 */
export function encodeUploadPackage(pkg: UploadPackage): EncodedUploadPackage {
  const boundary = `----ClaimTriage${randomBytes(16).toString("hex")}`;
  const parts: EncodedUploadPackage["parts"] = [];
  const part = (name: string, type: string, data: PackageFile | Uint8Array, fileName?: string) => {
    const disposition = `form-data; name="${quoteParam(name)}"${fileName ? `; filename="${quoteParam(fileName)}"` : ""}`;
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${type}\r\n\r\n`));
    parts.push(data instanceof Uint8Array ? data : "bytes" in data ? data.bytes : data, Buffer.from("\r\n"));
  };
  part("metadata", "application/json", Buffer.from(JSON.stringify(pkg.metadata)));
  part("content", "application/pdf", pkg.content, pkg.content.fileName);
  for (const [i, file] of pkg.attachments.entries()) part(`attachment${i + 1}`, "application/pdf", file, file.fileName);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const byteLength = parts.reduce((sum, p) => sum + p.byteLength, 0);
  return { parts, byteLength, contentType: `multipart/form-data; boundary=${boundary}` };
}

// Parts at least this large go to the socket as they are; the small ones between them are joined
// (a claim without large evidence is sent in one write, as before).
const SEND_AS_IS_BYTES = 1024 * 1024;

/** A document in storage that could not be read whole while it was being sent. */
class DocumentReadError extends Error {
  name = "DocumentReadError";
}

/**
 * The body for fetch: the parts one after another, with the length announced up front (a
 * pre-signed S3 PUT refuses a chunked body), hashed as they go for the ETag check. A stored
 * document that is missing, or ends short or long of its recorded size, errors the body: the
 * request fails rather than sending a different file under the announced length.
 */
export function uploadBody(encoded: EncodedUploadPackage, md5: Hash, failed: (error: Error) => void) {
  const writes: (Uint8Array | StreamedFile)[] = [];
  let small: Uint8Array[] = [];
  for (const part of encoded.parts) {
    if (part instanceof Uint8Array && part.byteLength < SEND_AS_IS_BYTES) {
      small.push(part);
      continue;
    }
    if (small.length > 0) writes.push(Buffer.concat(small));
    writes.push(part);
    small = [];
  }
  if (small.length > 0) writes.push(Buffer.concat(small));
  async function* chunks() {
    for (const write of writes) {
      if (write instanceof Uint8Array) {
        yield write;
        continue;
      }
      let sent = 0;
      try {
        for await (const chunk of write.open()) {
          sent += chunk.byteLength;
          if (sent > write.byteLength) break;
          yield chunk;
        }
      } catch (error) {
        throw new DocumentReadError(`${write.fileName}: ${(error as Error).message}`, { cause: error });
      }
      if (sent !== write.byteLength)
        throw new DocumentReadError(
          `${write.fileName}: the stored document is ${sent > write.byteLength ? "longer" : "shorter"} than its ${write.byteLength} bytes`,
        );
    }
  }
  const source = chunks();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await source.next();
        if (next.done) return controller.close();
        md5.update(next.value);
        controller.enqueue(next.value);
      } catch (error) {
        failed(error as Error);
        controller.error(error);
      }
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}
