import { describe, expect, it } from "vitest";
import type { Line } from "@/lib/ingest/lines";
import type { PreparedChunk } from "@/lib/ingest/prepare-records";
import { GROUP_OVERRUN, recordChunks } from "@/lib/ingest/record-chunks";

// The file import's chunks end at their size, but not between a 686c and the 674s that follow it.

const record = (id: string, parentId?: string) => ({
  source: { id },
  ...(parentId ? { claimGroup: { parentId } } : {}),
});

// These values are not whole records: each comes back refused, under its line number.
const indicesOf = (chunk: PreparedChunk) =>
  [...chunk.results.keys(), ...chunk.pending.map((p) => p.index)].sort((a, b) => a - b);

async function chunksOf(values: unknown[], limits = { records: 3, bytes: 1_000_000 }) {
  async function* lines(): AsyncGenerator<Line> {
    for (const [i, value] of values.entries()) yield { line: i + 1, value, bytes: 100 };
  }
  const out: number[][] = [];
  for await (const { chunk } of recordChunks(lines(), limits)) out.push(indicesOf(chunk));
  return out;
}

describe("recordChunks", () => {
  it("cuts at the chunk's size when no group spans the cut", async () => {
    const values = ["1", "2", "3", "4", "5"].map((id) => record(id));
    expect(await chunksOf(values)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("keeps the 674s that follow their 686c in its chunk", async () => {
    const values = [record("1"), record("2"), record("10", "10"), record("11", "10"), record("12", "10"), record("3")];
    expect(await chunksOf(values)).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it("starts a new chunk with a 686c that comes when the chunk is full", async () => {
    const values = [record("1"), record("2"), record("3"), record("10", "10"), record("11", "10")];
    expect(await chunksOf(values)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("cuts a group that runs past the overrun, and at the byte limit whatever the group", async () => {
    const long = [record("10", "10"), ...Array.from({ length: GROUP_OVERRUN + 5 }, (_, i) => record(`c${i}`, "10"))];
    const sizes = (await chunksOf(long)).map((c) => c.length);
    expect(sizes[0]).toBe(3 + GROUP_OVERRUN);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(long.length);
    expect(await chunksOf([record("10", "10"), record("11", "10")], { records: 10, bytes: 100 })).toEqual([[1], [2]]);
  });

  it("prepares every line in order, lines refused before validation too, and says the last line", async () => {
    async function* lines(): AsyncGenerator<Line> {
      yield { line: 1, value: record("1"), bytes: 10 };
      yield { line: 2, problems: [{ path: "(line)", message: "not valid JSON" }] };
    }
    const out = [];
    for await (const { chunk, lastLine } of recordChunks(lines(), { records: 5, bytes: 1_000 }))
      out.push({ chunk, lastLine });
    expect(out).toHaveLength(1);
    expect(out[0].lastLine).toBe(2);
    expect(out[0].chunk.pending).toEqual([]);
    expect([...out[0].chunk.results.keys()]).toEqual([1, 2]);
    expect(out[0].chunk.results.get(1)).toMatchObject({ result: "refused", sourceId: "1" });
    expect(out[0].chunk.results.get(2)).toEqual({
      index: 2,
      result: "refused",
      problems: [{ path: "(line)", message: "not valid JSON" }],
    });
  });
});
