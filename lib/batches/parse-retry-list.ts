import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";

// Reads a reviewed retry list (CSV: `claim_id[,note]`, header optional) as a stream, checking the
// file as a whole on the way: size, text encoding, columns. A file-level problem throws
// RetryListFileError and nothing is created; row-level problems (a bad id, a duplicate…) are not
// judged here but by the review, which reports them row by row.

export const RETRY_LIST_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 100_000, maxNoteLength: 500 } as const;

export class RetryListFileError extends Error {}

export type RetryListRow = { line: number; claimIdText: string; note: string | null };
export type ParsedRetryList = { rows: RetryListRow[]; hasHeader: boolean; bytes: number };

const HEADER_ID = new Set(["claim_id", "claim id", "claimid"]);
const HEADER_NOTE = new Set(["note", "notes"]);

async function* checkedText(source: AsyncIterable<Uint8Array>, maxBytes: number, counter: { bytes: number }) {
  // fatal: a byte sequence that is not UTF-8 stops the import instead of turning into U+FFFD.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const chunk of source) {
    counter.bytes += chunk.byteLength;
    if (counter.bytes > maxBytes)
      throw new RetryListFileError(
        `The file is larger than ${formatBytes(maxBytes)}. Split the list into smaller files.`,
      );
    if (chunk.includes(0)) throw new RetryListFileError(notTextMessage);
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch {
      throw new RetryListFileError(notTextMessage);
    }
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new RetryListFileError(notTextMessage);
  }
}

const notTextMessage =
  "The file is not UTF-8 text: it looks binary, or is saved in another encoding (such as UTF-16). " +
  "Save it as “CSV UTF-8” and try again.";

function formatBytes(n: number) {
  return `${Math.round(n / 1024 / 1024)} MB`;
}

function describeCells(cells: string[]) {
  return cells.map((c) => (c.length > 30 ? `${c.slice(0, 30)}…` : c)).join(",");
}

export async function parseRetryList(
  source: AsyncIterable<Uint8Array>,
  limits: { maxBytes?: number; maxRows?: number } = {},
): Promise<ParsedRetryList> {
  const maxBytes = limits.maxBytes ?? RETRY_LIST_LIMITS.maxBytes;
  const maxRows = limits.maxRows ?? RETRY_LIST_LIMITS.maxRows;
  const counter = { bytes: 0 };
  const rows: RetryListRow[] = [];
  let first = true;
  let hasHeader = false;

  const take = (cells: string[], line: number) => {
    if (first) {
      first = false;
      const lower = cells.map((c) => c.toLowerCase());
      if (HEADER_ID.has(lower[0])) {
        if (cells.length > 2 || (cells.length === 2 && !HEADER_NOTE.has(lower[1]))) {
          throw new RetryListFileError(
            `The header must be “claim_id” or “claim_id,note”; found “${describeCells(cells)}”.`,
          );
        }
        hasHeader = true;
        return;
      }
      // Without a header the first row must already look like data: a number in the first column.
      if (!/^\d+$/.test(cells[0] ?? "")) {
        throw new RetryListFileError(
          `The first row must be the header “claim_id” (optionally “,note”) or a claim id; ` +
            `found “${describeCells(cells)}”. Check that this is the reviewed retry list.`,
        );
      }
    }
    if (cells.length > 2) {
      throw new RetryListFileError(
        `Row ${line} has ${cells.length} columns; the list has a claim id and an optional note only ` +
          `(put commas inside a note in double quotes).`,
      );
    }
    if (rows.length >= maxRows)
      throw new RetryListFileError(
        `The file has more than ${maxRows.toLocaleString("en-US")} rows. Split the list into smaller files.`,
      );
    const note = (cells[1] ?? "").slice(0, RETRY_LIST_LIMITS.maxNoteLength);
    rows.push({ line, claimIdText: cells[0] ?? "", note: note || null });
  };

  // Spreadsheets and hand edits mix line endings: accept all three anywhere.
  const parser = parse({
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    max_record_size: 10_000,
  });
  const sink = new Writable({
    objectMode: true,
    write(entry: { record: string[]; info: { lines: number } }, _encoding, done) {
      try {
        // A line of only commas is as empty as a blank line.
        if (entry.record.every((c) => c === "")) return done();
        take(entry.record, entry.info.lines);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });

  try {
    await pipeline(Readable.from(checkedText(source, maxBytes, counter)), parser, sink);
  } catch (e) {
    if (e instanceof RetryListFileError) throw e;
    if (e instanceof CsvError)
      throw new RetryListFileError(
        `The file is not valid CSV (${e.message.replace(/^[^:]*:\s*/, "")}). Nothing was imported.`,
      );
    throw e;
  }
  if (rows.length === 0)
    throw new RetryListFileError(counter.bytes === 0 ? "The file is empty." : "The file has no claim ids in it.");
  return { rows, hasHeader, bytes: counter.bytes };
}

// A web ReadableStream (a File or a request body) as an async iterable of bytes.
export async function* bytesOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
