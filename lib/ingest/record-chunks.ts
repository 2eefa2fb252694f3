import type { Line } from "./lines";
import type { IngestItem } from "./prepare-records";

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

export async function* recordChunks(lines: AsyncIterable<Line>, limits: ChunkLimits): AsyncGenerator<IngestItem[]> {
  let items: IngestItem[] = [];
  let bytes = 0;
  let groups = new Set<string>();
  for await (const line of lines) {
    const group = "value" in line ? groupOf(line.value) : undefined;
    const staysWithGroup = group !== undefined && groups.has(group) && items.length < limits.records + GROUP_OVERRUN;
    if (bytes >= limits.bytes || (items.length >= limits.records && !staysWithGroup)) {
      yield items;
      items = [];
      bytes = 0;
      groups = new Set();
    }
    if ("value" in line) {
      items.push({ index: line.line, value: line.value });
      bytes += line.bytes;
      if (group !== undefined) groups.add(group);
    } else items.push({ index: line.line, problems: line.problems });
  }
  if (items.length > 0) yield items;
}
