import { closeSync, openSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { getEnv } from "../env";
import { log } from "../log";
import { evidenceByteLength } from "./attachments";
import {
  buildClaimPackage,
  type ClaimPackage,
  type ClaimPackageInput,
  type StoreDocument,
  type StoringClaimPackage,
} from "./claim-package";
import { PdfInputError } from "./errors";
import { type EvidenceLimits, evidenceLimitsFromEnv } from "./limits";
import type { ThreadError, ThreadReply, ThreadRequest } from "./package-thread";
import { type DocumentChunkMessage, documentReceiver, isDocumentChunk } from "./thread-documents";

// One claim's PDF work (render, convert, stamp) runs in a worker thread with a heap limit and a
// time limit (issue #14.3), so an input that would exhaust memory or spin for minutes ends that
// claim's attempt, not the worker: the thread is killed and replaced, the other claims go on.
//
// A thread that runs out of heap or time fails the claim *permanently* (PdfInputError
// "over_limit"): the same bytes would do the same on every retry, and the limits sit orders of
// magnitude above a normal claim's few milliseconds and few MB. Anything else that stops a thread
// (it could not start, it exited on its own) is a plain error, which the queue retries.

export type PdfPoolOptions = {
  /** 0 runs the PDF work on the calling thread, unbounded (the way it ran before the pool). */
  threads: number;
  maxHeapMb: number;
  timeoutMs: number;
  limits: EvidenceLimits;
};

export function pdfPoolOptionsFromEnv(env = getEnv()): PdfPoolOptions {
  return {
    threads: env.PDF_THREADS,
    maxHeapMb: env.PDF_THREAD_MAX_HEAP_MB,
    timeoutMs: env.PDF_TIMEOUT_MS,
    limits: evidenceLimitsFromEnv(env),
  };
}

// A thread that built a package from this much evidence is replaced rather than reused. Once idle
// a thread allocates nothing, so V8 never collects it: the evidence it was sent (a scan of up to
// 100 MB) would stay in the worker's memory until the thread's next claim. Ending the thread frees
// it at once; starting another costs about a second, after the rare claim that big.
const RECYCLE_AFTER_BYTES = 16 * 1024 * 1024;

// V8 sizes a thread's young generation from its heap limit: up to 48 MB for 256 MB, all of it
// resident once a claim's parsing has filled it, in every thread. A PDF's objects are short-lived
// and small (the bytes live outside the heap), so a smaller one costs a few more scavenges.
const YOUNG_GENERATION_MB = 12;

type Task = {
  request: ThreadRequest;
  /** The evidence bytes sent with the request. */
  inputBytes: number;
  transfer: ArrayBuffer[];
  /** Evidence files opened for the thread; closed here when the task ends, however it ends. */
  fds: number[];
  /** Stores the large documents the thread sends in chunks (when the caller gave a store). */
  receiver?: ReturnType<typeof documentReceiver>;
  store?: StoreDocument;
  resolve: (pkg: StoringClaimPackage) => void;
  reject: (error: Error) => void;
};
type Slot = { worker: Worker; ready: boolean; task?: Task; timer?: NodeJS.Timeout };

// Next never runs this (only the worker builds packages), but it bundles the module, and Turbopack
// bundles what a `new Worker(...)` names (here: tsx, then esbuild's binary, which fails the build).
// So the entry is found at run time, out of its sight: the ignore comments and Reflect.construct.
const threadEntry = () => path.join(/* turbopackIgnore: true */ __dirname, "package-thread.cjs");

function fromThread(error: ThreadError): Error {
  if (error.name === "PdfInputError") {
    const prefix = error.fileName ? `${error.fileName}: ` : "";
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    return new PdfInputError(error.code as PdfInputError["code"], message, error.fileName);
  }
  return Object.assign(new Error(error.message), { name: error.name, code: error.code, permanent: error.permanent });
}

export class PdfThreadPool {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Task[] = [];
  private nextId = 1;

  constructor(readonly options: PdfPoolOptions) {}

  run(input: ClaimPackageInput): Promise<ClaimPackage>;
  /** Large evidence is saved into `store` in chunks and comes back as a StoredPackageDocument. */
  run(input: ClaimPackageInput, store: StoreDocument): Promise<StoringClaimPackage>;
  run(input: ClaimPackageInput, store?: StoreDocument): Promise<StoringClaimPackage> {
    const withLimits = { ...input, limits: input.limits ?? this.options.limits };
    if (this.options.threads === 0) return store ? buildClaimPackage(withLimits, store) : buildClaimPackage(withLimits);
    // The evidence bytes are moved to the thread, not copied, when they own their memory (a file
    // read whole does); the caller does not use them afterwards.
    const transfer = [
      ...new Set(
        input.attachments.flatMap((a) =>
          "bytes" in a && a.bytes.byteOffset === 0 && a.bytes.byteLength === a.bytes.buffer.byteLength
            ? [a.bytes.buffer as ArrayBuffer]
            : [],
        ),
      ),
    ];
    return new Promise((resolve, reject) => {
      const fds: number[] = [];
      try {
        // Opened here, not in the thread: a thread stopped at its limits cannot close what it opened.
        const attachments = input.attachments.map((a) => {
          if ("bytes" in a) return a;
          fds.push(openSync(a.file, "r"));
          return { ...a, fd: fds.at(-1) };
        });
        const inputBytes = input.attachments.reduce((sum, a) => sum + evidenceByteLength(a), 0);
        const request = { id: this.nextId++, input: { ...withLimits, attachments }, store: store !== undefined };
        this.waiting.push({ request, inputBytes, transfer, fds, store, resolve, reject });
      } catch (error) {
        closeAll(fds);
        return reject(error);
      }
      this.dispatch();
    });
  }

  /** Stops every thread; tasks still running or waiting are rejected. */
  async close(): Promise<void> {
    for (const task of this.waiting.splice(0)) {
      closeAll(task.fds);
      task.reject(new Error("the PDF thread pool was closed"));
    }
    await Promise.all(
      [...this.slots].map(async (slot) => {
        this.end(slot, new Error("the PDF thread pool was closed"));
        await slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = [...this.slots].find((s) => !s.task);
      if (!slot) {
        if (this.slots.size >= this.options.threads) return;
        slot = this.spawn();
      }
      const task = this.waiting.shift()!;
      slot.task = task;
      const worker = slot.worker;
      if (task.store)
        task.receiver = documentReceiver(task.store, (reply, moved) => this.documentReply(slot, worker, reply, moved));
      if (slot.ready) this.startClock(slot);
      slot.worker.ref();
      try {
        slot.worker.postMessage(task.request, task.transfer);
      } catch {
        slot.worker.postMessage(task.request); // a buffer that cannot be moved is copied
      }
    }
  }

  private spawn(): Slot {
    const worker: Worker = Reflect.construct(Worker, [
      /* turbopackIgnore: true */ threadEntry(),
      {
        // Not the process's flags: `--max-old-space-size` is the process heap's, and tsx registers
        // itself in the entry.
        execArgv: [],
        resourceLimits: {
          maxOldGenerationSizeMb: this.options.maxHeapMb,
          maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
        },
      },
    ]);
    const slot: Slot = { worker, ready: false };
    this.slots.add(slot);
    worker.unref(); // an idle thread never keeps the process alive
    worker.on("message", (reply: ThreadReply | DocumentChunkMessage) => {
      if (isDocumentChunk(reply)) {
        if (slot.task?.request.id !== reply.id) return;
        this.restartClock(slot); // saving into storage is progress, and storage sets its pace
        slot.task.receiver?.onChunk(reply);
        return;
      }
      if ("ready" in reply) {
        slot.ready = true;
        if (slot.task) this.startClock(slot);
        return;
      }
      const task = slot.task;
      if (!task || task.request.id !== reply.id) return;
      this.end(slot);
      if (task.inputBytes >= RECYCLE_AFTER_BYTES) {
        this.slots.delete(slot); // its exit then finds no slot to retire
        void slot.worker.terminate();
      }
      if (reply.ok) task.resolve(reply.pkg);
      else task.reject(fromThread(reply.error));
      this.dispatch();
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const outOfMemory = error.code === "ERR_WORKER_OUT_OF_MEMORY";
      log.warn({ code: error.code, outOfMemory }, "PDF thread stopped; a new one takes its place");
      this.retire(
        slot,
        outOfMemory
          ? new PdfInputError(
              "over_limit",
              `building the claim's PDFs needed more than the ${this.options.maxHeapMb} MB of memory a PDF thread may use`,
            )
          : new Error(`the PDF thread stopped: ${error.message}`),
      );
    });
    worker.on("exit", (code) => this.retire(slot, new Error(`the PDF thread exited (code ${code})`)));
    return slot;
  }

  private startClock(slot: Slot): void {
    slot.timer = setTimeout(() => this.timedOut(slot), this.options.timeoutMs);
  }

  private restartClock(slot: Slot): void {
    clearTimeout(slot.timer);
    this.startClock(slot);
  }

  private documentReply(slot: Slot, worker: Worker, reply: object, moved: ArrayBuffer[] = []): void {
    if (!this.slots.has(slot) || slot.worker !== worker || !slot.task) return; // the thread is gone
    this.restartClock(slot);
    worker.postMessage(reply, moved);
  }

  private timedOut(slot: Slot): void {
    log.warn({ timeoutMs: this.options.timeoutMs }, "PDF work over its time limit: thread stopped");
    const seconds = Math.round(this.options.timeoutMs / 1000);
    this.retire(slot, new PdfInputError("over_limit", `building the claim's PDFs took longer than ${seconds} s`));
    void slot.worker.terminate();
  }

  /** Ends the slot's task (rejecting it with `error` if given). */
  private end(slot: Slot, error?: Error): void {
    clearTimeout(slot.timer);
    const task = slot.task;
    slot.task = undefined;
    slot.worker.unref();
    if (task) closeAll(task.fds);
    // A document still arriving when the task ends is incomplete: its storing fails, nothing is kept.
    task?.receiver?.abandon(error ?? new Error("the PDF thread ended the task before the document's end"));
    if (task && error) task.reject(error);
  }

  /** A thread that died or was killed: its task fails, it leaves the pool, waiting work goes on. */
  private retire(slot: Slot, error: Error): void {
    if (!this.slots.delete(slot)) return;
    this.end(slot, error);
    this.dispatch();
  }
}

function closeAll(fds: number[]) {
  for (const fd of fds.splice(0)) closeSync(fd);
}

let shared: PdfThreadPool | undefined;

/** The process's pool, made on first use from the environment (PDF_THREADS and friends). */
function pool(): PdfThreadPool {
  shared ??= new PdfThreadPool(pdfPoolOptionsFromEnv());
  return shared;
}

/** Builds one claim's package in a PDF thread (buildClaimPackage, bounded). */
export function buildClaimPackageBounded(input: ClaimPackageInput, store: StoreDocument): Promise<StoringClaimPackage> {
  return pool().run(input, store);
}

/** For tests and benchmarks: replaces the process's pool (the old one is closed). */
export async function configurePdfPool(options: PdfPoolOptions): Promise<void> {
  const old = shared;
  shared = new PdfThreadPool(options);
  await old?.close();
}
