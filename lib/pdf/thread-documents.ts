import type { StoreDocument } from "./claim-package";
import type { StoredDocument } from "./storage";

// Large documents saved in a PDF thread go to the calling thread's storage as they are written,
// in chunks of CHUNK_BYTES, each moved (transferred) rather than copied, and at most WINDOW of them
// on their way at once: the thread waits for storage, so memory stays at a few MB whatever the
// document's size. The storage itself stays on the calling thread (its S3 client, its sockets).
// A chunk's buffer goes back to the thread once storage has asked for the next one, and is
// filled again: fresh buffers each time piled up as garbage, some 40 MB of a 99 MB scan's peak.

const CHUNK_BYTES = 1024 * 1024;
const WINDOW = 4;

export type ErrorFields = { name: string; message: string };
/** Thread to caller: a document's next chunk, its end, or its abandonment. */
export type DocumentChunkMessage = { id: number; doc: number } & (
  | { chunk: ArrayBuffer }
  | { end: true }
  | { abort: ErrorFields }
);
/** Caller to thread: a chunk was taken; the document is stored; storing it failed. */
export type DocumentReplyMessage = { doc: number } & (
  | { ack: true; buffer?: ArrayBuffer }
  | { stored: StoredDocument }
  | { error: ErrorFields }
);

export const isDocumentChunk = (m: object): m is DocumentChunkMessage => "doc" in m;
export const isDocumentReply = (m: object): m is DocumentReplyMessage => "doc" in m;

const fields = (e: unknown): ErrorFields =>
  e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
const asError = (f: ErrorFields) => Object.assign(new Error(f.message), { name: f.name });

type Outgoing = {
  credit: number;
  free: ArrayBuffer[];
  /** The caller's last word (stored, or failed), set as it arrives so a sender waiting sees it. */
  outcome?: DocumentReplyMessage;
  wake?: () => void;
  settle?: (reply: DocumentReplyMessage) => void;
};

/** In the PDF thread: a StoreDocument per task that sends the chunks to the calling thread. */
export function threadDocumentSender(post: (message: DocumentChunkMessage, transfer?: ArrayBuffer[]) => void) {
  const open = new Map<number, Outgoing>();
  let nextDoc = 1;
  return {
    onReply(reply: DocumentReplyMessage) {
      const doc = open.get(reply.doc);
      if (!doc) return;
      if ("ack" in reply) {
        doc.credit++;
        if (reply.buffer?.byteLength === CHUNK_BYTES) doc.free.push(reply.buffer);
      } else {
        doc.outcome = reply;
        doc.settle?.(reply);
      }
      doc.wake?.();
    },
    storeFor(id: number): StoreDocument {
      return async (chunks) => {
        const doc = nextDoc++;
        const state: Outgoing = { credit: WINDOW, free: [] };
        const fresh = () => new Uint8Array(state.free.pop() ?? new ArrayBuffer(CHUNK_BYTES));
        const settled = new Promise<DocumentReplyMessage>((resolve) => (state.settle = resolve));
        const answered = () => state.outcome !== undefined; // before the end: storing failed, stop sending
        open.set(doc, state);
        let buffer = fresh();
        let filled = 0;
        const send = async () => {
          while (state.credit === 0 && !answered()) await new Promise<void>((r) => (state.wake = r));
          if (answered()) return;
          state.credit--;
          const out = filled === CHUNK_BYTES ? buffer : buffer.slice(0, filled);
          post({ id, doc, chunk: out.buffer as ArrayBuffer }, [out.buffer as ArrayBuffer]);
          buffer = fresh();
          filled = 0;
        };
        try {
          for await (const piece of chunks) {
            for (let at = 0; at < piece.byteLength && !answered(); ) {
              const n = Math.min(piece.byteLength - at, CHUNK_BYTES - filled);
              buffer.set(piece.subarray(at, at + n), filled);
              filled += n;
              at += n;
              if (filled === CHUNK_BYTES) await send();
            }
            if (answered()) break;
          }
          if (filled > 0) await send();
          if (!answered()) post({ id, doc, end: true });
          const reply = await settled;
          if ("error" in reply) throw asError(reply.error);
          return (reply as { stored: StoredDocument }).stored;
        } catch (error) {
          if (!answered()) post({ id, doc, abort: fields(error) }); // the caller drops what it stored so far
          throw error;
        } finally {
          open.delete(doc);
        }
      };
    },
  };
}

/**
 * A document's chunks as the storage reads them. A chunk is handed back to the thread when the
 * storage asks for the next one: both storages have written or copied it by then (the local
 * folder's write stream drains a chunk this size before taking another; S3 copies it into a part).
 */
class Inbox implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private ended = false;
  private failure?: Error;
  private wake?: () => void;
  constructor(private readonly done: (chunk: Uint8Array) => void) {}
  push(chunk: Uint8Array) {
    this.queue.push(chunk);
    this.wake?.();
  }
  end(failure?: Error) {
    this.ended = true;
    this.failure ??= failure;
    this.wake?.();
  }
  async *[Symbol.asyncIterator]() {
    let lent: Uint8Array | undefined;
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        const chunk = this.queue.shift();
        if (chunk) {
          if (lent) this.done(lent);
          lent = chunk;
          yield chunk;
        } else if (this.ended) return;
        else await new Promise<void>((r) => (this.wake = r));
      }
    } finally {
      if (lent) this.done(lent);
    }
  }
}

/** On the calling thread: stores the documents one task's thread sends, answering each. */
export function documentReceiver(
  store: StoreDocument,
  reply: (message: DocumentReplyMessage, transfer?: ArrayBuffer[]) => void,
) {
  const open = new Map<number, Inbox>();
  const start = (doc: number) => {
    const inbox = new Inbox(({ buffer }) =>
      reply({ doc, ack: true, buffer: buffer as ArrayBuffer }, [buffer as ArrayBuffer]),
    );
    open.set(doc, inbox);
    store(inbox).then(
      (stored) => reply({ doc, stored }),
      (error: unknown) => reply({ doc, error: fields(error) }),
    );
    return inbox;
  };
  return {
    onChunk(message: DocumentChunkMessage) {
      const inbox = open.get(message.doc) ?? start(message.doc);
      if ("chunk" in message) inbox.push(new Uint8Array(message.chunk));
      else {
        open.delete(message.doc);
        inbox.end("abort" in message ? asError(message.abort) : undefined);
      }
    },
    /** The thread died or was stopped: what it was sending must not be stored as complete. */
    abandon(error: Error) {
      for (const inbox of open.values()) inbox.end(error);
      open.clear();
    },
  };
}
