import { describe, expect, it } from "vitest";
import { type Line, MAX_LINE_BYTES, ndjsonLines } from "@/lib/ingest/lines";

// NDJSON cut from a byte stream whatever its chunking: numbered lines, blank lines skipped, bad lines
// reported in place, an endless line skipped without being held.

// Lines without their byte counts (checked on their own below).
async function collect(chunks: (string | Uint8Array)[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const line of ndjsonLines(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c)))) {
    if ("value" in line) out.push({ line: line.line, value: line.value });
    else out.push(line);
  }
  return out;
}

describe("ndjsonLines", () => {
  it("numbers lines across chunk boundaries and skips blank ones", async () => {
    const lines = await collect(['{"a":', '1}\n\n  \r\n{"b"', ":2}\r\n", '{"c":3}']);
    expect(lines).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { b: 2 } },
      { line: 5, value: { c: 3 } },
    ]);
  });

  it("reads right from a source that reuses one buffer for every chunk, as a file reader may", async () => {
    const reused = Buffer.alloc(16);
    async function* source() {
      for (const piece of ['{"a":1}\n{', '"b":22}\n', '{"c":3}']) {
        reused.fill(0x20);
        reused.write(piece);
        yield reused.subarray(0, Buffer.byteLength(piece));
      }
    }
    const values = [];
    for await (const line of ndjsonLines(source())) values.push("value" in line ? line.value : line);
    expect(values).toEqual([{ a: 1 }, { b: 22 }, { c: 3 }]);
  });

  it("counts each line's bytes, as read", async () => {
    const lines: Line[] = [];
    for await (const line of ndjsonLines([Buffer.from('{"a":"é"}\r\n{}')])) lines.push(line);
    expect(lines.map((l) => ("bytes" in l ? l.bytes : null))).toEqual([11, 2]);
  });

  it("reports a line that is not JSON or not UTF-8, and goes on", async () => {
    const lines = (await collect(['{"a":1}\nnot json\n', Buffer.from([0xff, 0xfe, 0x0a]), '{"b":2}\n'])) as Line[];
    const shown = lines.map((l) => ("value" in l ? l.value : l.problems[0].message));
    expect(shown).toEqual([{ a: 1 }, expect.stringMatching(/^not valid JSON/), "not valid UTF-8", { b: 2 }]);
  });

  it("skips a line longer than the limit without keeping it", async () => {
    const big = "x".repeat(64 * 1024);
    const chunks = ['{"a":1}\n"', ...Array.from({ length: MAX_LINE_BYTES / big.length + 2 }, () => big), '"\n{"b":2}'];
    const lines = await collect(chunks);
    expect(lines).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, problems: [{ path: "(line)", message: `longer than ${MAX_LINE_BYTES} bytes` }] },
      { line: 3, value: { b: 2 } },
    ]);
  });
});
