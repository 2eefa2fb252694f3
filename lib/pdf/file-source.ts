import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { PDFRawStream } from "pdf-lib";

// A large evidence PDF parsed from its file rather than from its bytes in memory. A 99 MB scan is
// nearly all image data that is never decoded, only copied through: held whole, it set the
// worker's peak (about 100 MB over the rest). Here the parser reads the file through a small
// window, and a large stream's contents stay in the file as a range (FileRangeStream) until
// they are written out, a block at a time.

const WINDOW_BYTES = 64 * 1024;
const BLOCK_BYTES = 1024 * 1024;

/** Random access to a file by position, through a cached window: what a parser needs. */
export class FileBytes {
  readonly length: number;
  private readonly fd: number;
  private readonly owned: boolean;
  private readonly window = Buffer.allocUnsafe(WINDOW_BYTES);
  // Searches read into this one buffer: a fresh one per block was ~70 MB of garbage per scan.
  private scratch?: Buffer;
  private windowStart = 0;
  private windowEnd = 0;

  /** With `fd`, the file the caller opened (and closes); else it is opened here, closed by close(). */
  constructor(
    readonly file: string,
    fd?: number,
  ) {
    this.owned = fd === undefined;
    this.fd = fd ?? openSync(file, "r");
    this.length = fstatSync(this.fd).size;
  }

  /** The byte at `i`, or undefined past the end (as indexing a Uint8Array gives). */
  at(i: number): number | undefined {
    if (i < this.windowStart || i >= this.windowEnd) {
      if (i < 0 || i >= this.length) return undefined;
      this.windowStart = i;
      this.windowEnd = i + readSync(this.fd, this.window, 0, WINDOW_BYTES, i);
    }
    return this.window[i - this.windowStart];
  }

  /** A copy of [start, end), clamped to the file as Uint8Array.slice clamps. */
  read(start: number, end = this.length): Buffer {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    const out = Buffer.allocUnsafe(to - from);
    for (let at = 0; at < out.length; ) {
      const n = readSync(this.fd, out, at, out.length - at, from + at);
      if (n === 0) throw new Error(`${this.file} ended at ${from + at} of ${this.length} bytes`);
      at += n;
    }
    return out;
  }

  /**
   * [start, end) in blocks of up to 1 MB read into one buffer, reused: a block is the consumer's
   * only until it asks for the next one.
   */
  *blocks(start: number, end: number): Generator<Uint8Array> {
    const block = Buffer.allocUnsafe(Math.min(BLOCK_BYTES, Math.max(0, end - start)));
    for (let at = start; at < end; ) {
      const n = readSync(this.fd, block, 0, Math.min(block.length, end - at), at);
      if (n === 0) throw new Error(`${this.file} ended at ${at} of ${this.length} bytes`);
      at += n;
      yield block.subarray(0, n);
    }
  }

  /** Where `needle` next occurs whole within [from, to), or -1. */
  indexOf(needle: string, from: number, to = this.length): number {
    const overlap = needle.length - 1;
    const limit = Math.min(to, this.length);
    for (let at = Math.max(0, from); at < limit; at += BLOCK_BYTES - overlap) {
      const found = this.readScratch(at, Math.min(at + BLOCK_BYTES, limit)).indexOf(needle, 0, "latin1");
      if (found >= 0) return at + found;
      if (at + BLOCK_BYTES >= limit) break;
    }
    return -1;
  }

  /** Where `needle` last starts before `before`, or -1. */
  lastIndexOf(needle: string, before: number): number {
    const overlap = needle.length - 1;
    for (let end = Math.min(before + needle.length, this.length); end > 0; end -= BLOCK_BYTES - overlap) {
      const start = Math.max(0, end - BLOCK_BYTES);
      const found = this.readScratch(start, end).lastIndexOf(needle, before - start, "latin1");
      if (found >= 0) return start + found;
      if (start === 0) break;
    }
    return -1;
  }

  private readScratch(start: number, end: number): Buffer {
    this.scratch ??= Buffer.allocUnsafe(BLOCK_BYTES);
    let n = 0;
    while (n < end - start) {
      const got = readSync(this.fd, this.scratch, n, end - start - n, start + n);
      if (got === 0) break;
      n += got;
    }
    return this.scratch.subarray(0, n);
  }

  close(): void {
    if (this.owned) closeSync(this.fd);
  }
}

/**
 * A stream whose contents are still in the file: read when something asks for them (a decoder,
 * a plain save), passed on in blocks by savePdfChunks. Its size is known without reading.
 */
// Its constructor is private in the types only; subclassing is how a stream gets other contents.
const RawStream = PDFRawStream as unknown as new (dict: PDFRawStream["dict"], contents: Uint8Array) => PDFRawStream;

export class FileRangeStream extends RawStream {
  // Set by the PDFRawStream constructor (with an empty placeholder) and by nothing else.
  declare readonly contents: Uint8Array;
  private source!: { file: FileBytes; start: number; end: number };

  static ofRange(dict: PDFRawStream["dict"], file: FileBytes, start: number, end: number): FileRangeStream {
    const stream = new FileRangeStream(dict, new Uint8Array(0));
    stream.source = { file, start, end };
    return stream;
  }

  blocks(): Generator<Uint8Array> {
    return this.source.file.blocks(this.source.start, this.source.end);
  }

  getContentsSize(): number {
    return this.source.end - this.source.start;
  }

  getContents(): Uint8Array {
    return this.source.file.read(this.source.start, this.source.end);
  }

  asUint8Array(): Uint8Array {
    return this.getContents();
  }

  clone(context?: Parameters<PDFRawStream["clone"]>[0]): PDFRawStream {
    return PDFRawStream.of(this.dict.clone(context), this.getContents());
  }
}

// pdf-lib reads `contents` directly where it decodes a stream: give it the bytes then.
Object.defineProperty(FileRangeStream.prototype, "contents", {
  get(this: FileRangeStream) {
    return this.getContents();
  },
  set() {},
});
