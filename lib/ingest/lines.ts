import { LIMITS } from "./contract";
import type { Problem } from "./validate";

// NDJSON, one record a line, from any byte stream (a request body, a 1,000,000-line export file):
// lines are cut from the chunks as they come, so memory holds one line at a time, and a line longer
// than a record may be is skipped to its end without being kept (it is reported, not parsed).

export const MAX_LINE_BYTES = 2 * LIMITS.recordBytes; // a record's own limit, plus room for whitespace

export type Line = { line: number; value: unknown; bytes: number } | { line: number; problems: Problem[] };

const NEWLINE = 0x0a;
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function parseLine(line: number, bytes: Buffer): Line | null {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { line, problems: [{ path: "(line)", message: "not valid UTF-8" }] };
  }
  if (text.trim() === "") return null;
  try {
    return { line, value: JSON.parse(text), bytes: bytes.length };
  } catch (error) {
    return {
      line,
      problems: [{ path: "(line)", message: `not valid JSON: ${(error as Error).message.slice(0, 200)}` }],
    };
  }
}

export async function* ndjsonLines(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let length = 0;
  let line = 1;
  let overlong = false;
  const finish = (): Line | null => {
    const current = line++;
    if (overlong) {
      overlong = false;
      return { line: current, problems: [{ path: "(line)", message: `longer than ${MAX_LINE_BYTES} bytes` }] };
    }
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
    parts = [];
    length = 0;
    return parseLine(current, bytes);
  };
  const keep = (piece: Buffer) => {
    if (overlong || piece.length === 0) return;
    if (length + piece.length > MAX_LINE_BYTES) {
      overlong = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  for await (const chunk of source) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buffer.indexOf(NEWLINE, start); nl !== -1; nl = buffer.indexOf(NEWLINE, start)) {
      // A line is parsed before we yield, so it is read where it lies in the caller's chunk.
      keep(buffer.subarray(start, nl));
      start = nl + 1;
      const parsed = finish();
      if (parsed) yield parsed;
    }
    // Copied: the caller's chunk may be reused once we yield, and this piece waits for the next.
    keep(Buffer.from(buffer.subarray(start)));
  }
  if (length > 0 || overlong) {
    const parsed = finish();
    if (parsed) yield parsed;
  }
}
