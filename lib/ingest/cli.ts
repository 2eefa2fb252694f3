import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { pipeline, Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { createDb } from "@/db/client";
import { assertPatchedPostgresDriver } from "@/db/postgres-driver-check";
import { getEnv } from "../env";
import { ingestJsonSchema } from "./contract";
import { ndjsonLines } from "./lines";
import type { PreparedChunk, RecordResult } from "./prepare-records";
import { recordChunks } from "./record-chunks";
import { reevaluateDueRecords } from "./reevaluate";
import { FILE_CHUNK_LIMITS } from "./submissions-request";
import { writePrepared } from "./write-records";

// `npm run ingest -- FILE.ndjson[.gz] [--refused REFUSED.ndjson]`: a file export from the system of
// record, through the same import as POST /api/ingest/submissions, in chunks of twice a request's size. The
// file is streamed (gzip recognised by its first bytes), so memory stays flat on a million lines.
// Progress goes to stderr, the report to stdout. Every record is idempotent by its source id, so
// after an interruption the same command finishes the job: what was written comes back unchanged.
// Exit status: 0 all written, 3 some records refused (listed), 1 the import could not run.
// `npm run ingest -- --schema` prints the contract's JSON Schema instead; `-- --reevaluate`
// classifies again the records whose time ran out (lib/ingest/reevaluate.ts).

const USAGE = "usage: npm run ingest -- FILE.ndjson[.gz] [--refused REFUSED.ndjson] | --schema | --reevaluate";
const WRITERS = 2;

type Totals = { created: number; updated: number; unchanged: number; refused: number };

function parseArgs(argv: string[]) {
  const args = [...argv];
  let file: string | undefined;
  let refusedPath: string | undefined;
  while (args.length) {
    const arg = args.shift()!;
    if (arg === "--refused") refusedPath = args.shift();
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else if (!file) file = arg;
    else throw new Error(USAGE);
  }
  if (!file) throw new Error(USAGE);
  return { file, refusedPath };
}

// Counts the file's bytes as they are read (before gunzip), for the progress bar.
function counting(onBytes: (n: number) => void) {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

// The file is read 1 MB at a time: at the stream's default 64 KB, its reads (a fresh buffer each)
// took 360-400 ms of the main thread for 200,000 records, against 117-124 ms (each line is parsed
// before the next is cut, lib/ingest/lines.ts, so no chunk stays in memory past its lines).
const READ_BYTES = 1 << 20;

// The file's bytes, gunzipped when its first two bytes say gzip, whatever its name.
async function fileChunks(file: string, onBytes: (n: number) => void): Promise<AsyncIterable<Uint8Array>> {
  const handle = await open(file, "r");
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  // pipeline, not pipe: a read error ends the import with that error instead of a stream that never ends
  const done = () => {};
  if (magic[0] === 0x1f && magic[1] === 0x8b)
    return pipeline(createReadStream(file, { highWaterMark: READ_BYTES }), counting(onBytes), createGunzip(), done);
  return pipeline(createReadStream(file, { highWaterMark: READ_BYTES }), counting(onBytes), done);
}

function progressLine(done: number, total: number, lines: number, totals: Totals, startedAt: number) {
  const seconds = (Date.now() - startedAt) / 1000;
  const rate = Math.round(lines / Math.max(seconds, 0.001));
  const share = total > 0 ? Math.min(done / total, 1) : 0;
  const bar = `${"#".repeat(Math.round(share * 30))}${".".repeat(30 - Math.round(share * 30))}`;
  const n = (x: number) => x.toLocaleString("en-US");
  return `[${bar}] ${(share * 100).toFixed(1)}%  ${n(lines)} lines  ${n(rate)}/s  created ${n(totals.created)}, updated ${n(totals.updated)}, unchanged ${n(totals.unchanged)}, refused ${n(totals.refused)}`;
}

export async function runIngestFile(argv: string[]): Promise<number> {
  if (argv[0] === "--schema") {
    // The contract as JSON Schema, as GET /api/ingest/schema serves it (docs/ingest-schema.json).
    process.stdout.write(`${JSON.stringify(ingestJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (argv[0] === "--reevaluate") {
    const env = getEnv();
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
    const { db, close } = createDb(env.DATABASE_URL, { max: 2 });
    try {
      const { examined, changed } = await reevaluateDueRecords(db);
      process.stdout.write(`Classified ${examined} records again; ${changed} changed.\n`);
    } finally {
      await close();
    }
    return 0;
  }
  const { file, refusedPath } = parseArgs(argv);
  // Unpatched, a COPY PostgreSQL refuses would hang the import instead of failing it.
  assertPatchedPostgresDriver();
  const env = getEnv();
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  const { size } = await stat(file);
  const { db, close } = createDb(env.DATABASE_URL, { max: WRITERS });
  const refusedOut: WriteStream | null = refusedPath ? createWriteStream(refusedPath) : null;
  const totals: Totals = { created: 0, updated: 0, unchanged: 0, refused: 0 };
  const firstRefusals: RecordResult[] = [];
  const startedAt = Date.now();
  const tty = process.stderr.isTTY;
  let bytesRead = 0;
  let lines = 0;
  let lastShown = 0;

  const show = (final = false) => {
    if (!final && Date.now() - lastShown < (tty ? 200 : 5_000)) return;
    lastShown = Date.now();
    const text = progressLine(bytesRead, size, lines, totals, startedAt);
    process.stderr.write(tty ? `\r${text}${final ? "\n" : ""}` : `${text}\n`);
  };

  const tally = async (results: RecordResult[]) => {
    for (const r of results) {
      totals[r.result]++;
      if (r.result !== "refused") continue;
      if (firstRefusals.length < 20) firstRefusals.push(r);
      if (refusedOut && !refusedOut.write(`${JSON.stringify({ line: r.index, ...r, index: undefined })}\n`))
        await new Promise((resolve) => refusedOut.once("drain", resolve));
    }
    show();
  };
  // Two chunks are written at once, each on its own connection, while the next is read and
  // prepared: one sends its bulk while the other holds the ingest lock (write-records.ts).
  const writing: Promise<RecordResult[]>[] = [];
  const flush = async (prepared: PreparedChunk) => {
    if (writing.length >= WRITERS) await tally(await writing.shift()!);
    const write = writePrepared(db, prepared, "file");
    write.catch(() => {}); // handled where it is awaited; not an unhandled rejection meanwhile
    writing.push(write);
  };

  try {
    const source = await fileChunks(file, (n) => {
      bytesRead += n;
    });
    for await (const { chunk, lastLine } of recordChunks(ndjsonLines(source), FILE_CHUNK_LIMITS)) {
      lines = lastLine;
      await flush(chunk);
    }
    while (writing.length > 0) await tally(await writing.shift()!);
    show(true);
  } finally {
    // A write still running (the loop failed) must end before the connections close.
    await Promise.allSettled(writing);
    await new Promise<void>((resolve) => (refusedOut ? refusedOut.end(resolve) : resolve()));
    await close();
  }

  const seconds = (Date.now() - startedAt) / 1000;
  const records = totals.created + totals.updated + totals.unchanged + totals.refused;
  const report = [
    `Imported ${file}: ${records.toLocaleString("en-US")} records in ${seconds.toFixed(1)} s (${Math.round(records / Math.max(seconds, 0.001)).toLocaleString("en-US")} records/s)`,
    `  created ${totals.created}, updated ${totals.updated}, unchanged ${totals.unchanged}, refused ${totals.refused}`,
    ...firstRefusals.flatMap((r) => [
      `  line ${r.index}${r.sourceId ? ` (source id ${r.sourceId})` : ""} refused:`,
      ...("problems" in r ? r.problems.slice(0, 5).map((p) => `    ${p.path}: ${p.message}`) : []),
    ]),
    ...(totals.refused > firstRefusals.length
      ? [
          `  … ${totals.refused - firstRefusals.length} more refused${refusedPath ? `, all listed in ${refusedPath}` : " (--refused FILE lists them all)"}`,
        ]
      : []),
  ];
  process.stdout.write(`${report.join("\n")}\n`);
  return totals.refused > 0 ? 3 : 0;
}

runIngestFile(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
