import type { Line } from "./lines";
import { ChunkPreparer, type PreparedChunk } from "./prepare-records";

// How `npm run ingest` cuts a file's lines into the chunks it writes (lib/ingest/cli.ts): at the
// chunk's size in records or bytes, but not inside a claim group. A 674 that follows its 686c, as
// exports list them, stays in its 686c's chunk, up to GROUP_OVERRUN records past the size. Two
// chunks in flight that both held the group would both create it before the ingest lock, and the
// later one would undo its early writes and do them again under the lock (write-records.ts): that
// was one chunk in ten of a million-record file. Only a guess from the raw line, before it is
// validated: the unique keys still decide.

export const GROUP_OVERRUN = 1_000;

export type ChunkLimits = { records: number; bytes: number };

function groupOf(value: unknown): string | undefined {
  const parentId = (value as { claimGroup?: { parentId?: unknown } | null } | null)?.claimGroup?.parentId;
  return typeof parentId === "string" ? parentId : undefined;
}

// A chunk as the import writes it, and the last line it holds (for the progress bar).
export type FileChunk = { chunk: PreparedChunk; lastLine: number };

// Each line is prepared as soon as it is read (prepare-records.ts, ChunkPreparer): only the group
// it names is looked at here, from the parsed line, before that is dropped.
export async function* recordChunks(
  lines: AsyncIterable<Line>,
  limits: ChunkLimits,
  now = new Date(),
): AsyncGenerator<FileChunk> {
  let preparer = new ChunkPreparer(now);
  let lastLine = 0;
  let bytes = 0;
  let groups = new Set<string>();
  for await (const line of lines) {
    const group = "value" in line ? groupOf(line.value) : undefined;
    const staysWithGroup = group !== undefined && groups.has(group) && preparer.size < limits.records + GROUP_OVERRUN;
    if (bytes >= limits.bytes || (preparer.size >= limits.records && !staysWithGroup)) {
      yield { chunk: preparer.finish(), lastLine };
      preparer = new ChunkPreparer(now);
      bytes = 0;
      groups = new Set();
    }
    lastLine = line.line;
    if ("value" in line) {
      bytes += line.bytes;
      if (group !== undefined) groups.add(group);
      await preparer.add({ index: line.line, value: line.value });
    } else await preparer.add({ index: line.line, problems: line.problems });
  }
  if (preparer.size > 0) yield { chunk: preparer.finish(), lastLine };
}
