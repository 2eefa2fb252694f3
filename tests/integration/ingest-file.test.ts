import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { FILE_CHUNK_LIMITS } from "@/lib/ingest/submissions-request";
import { footprint, makeDependents, makeRecord, sourceSystem } from "../support/ingest-records";

// Issue #12, `npm run ingest -- FILE.ndjson[.gz]`: the same import from a file, run as the command a
// person runs (a child process), gzip recognised, a report at the end, refused lines listed, and a
// second run after an interruption finishing the job without a duplicate.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
const dir = mkdtempSync(path.join(os.tmpdir(), "ingest-file-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await close();
});

function runIngest(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join("node_modules", ".bin", "tsx"), ["lib/ingest/cli.ts", ...args], {
      env: { ...process.env, LOG_LEVEL: "silent" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe("npm run ingest", () => {
  it("imports a gzipped file, lists refused lines, and a second run after an interruption adds no duplicate", async () => {
    const system = sourceSystem();
    const records: unknown[] = [];
    for (let i = 0; i < 1_200; i++) {
      if (i % 100 === 0) {
        const { parent, children } = makeDependents(system, 1);
        records.push(parent, ...children);
      } else records.push(makeRecord(system));
    }
    const lines = records.map((r) => JSON.stringify(r));
    lines.splice(10, 0, "{not json");
    lines.splice(
      20,
      0,
      JSON.stringify(makeRecord(system, (r) => ((r as Record<string, unknown>).formType = "21-XXX"))),
    );
    const file = path.join(dir, "export.ndjson.gz");

    // The interruption: the first run saw only the first 700 lines.
    const partial = path.join(dir, "partial.ndjson");
    writeFileSync(partial, `${lines.slice(0, 700).join("\n")}\n`);
    const first = await runIngest(partial);
    expect(first.code).toBe(3);
    expect(first.stdout).toMatch(/created 698, updated 0, unchanged 0, refused 2/);

    writeFileSync(file, gzipSync(`${lines.join("\n")}\n`));
    const refusedList = path.join(dir, "refused.ndjson");
    const second = await runIngest(file, "--refused", refusedList);
    expect(second.code).toBe(3);
    expect(second.stdout).toMatch(new RegExp(`created ${records.length - 698}, updated 0, unchanged 698, refused 2`));
    expect(second.stdout).toMatch(/line 11 refused:\n {4}\(line\): not valid JSON/);
    expect(second.stdout).toMatch(/line 21 \(source id \d+\) refused:\n {4}formType: /);
    expect(second.stderr).toMatch(/100\.0%/);
    const refused = readFileSync(refusedList, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(refused.map((r) => r.line)).toEqual([11, 21]);

    expect(await footprint(db, system)).toMatchObject({ records: records.length, claims: records.length });
    const third = await runIngest(file);
    expect(third.stdout).toMatch(new RegExp(`created 0, updated 0, unchanged ${records.length}, refused 2`));
  });

  // The import writes two 5,000-record chunks at once (lib/ingest/cli.ts): what one chunk holds must
  // still meet what the other wrote as it would one after the other.
  it("meets across chunks written at once: a newer version, a child before its parent, a veteran's older copy", async () => {
    const system = sourceSystem();
    const filler = (length: number) => Array.from({ length }, () => makeRecord(system));
    const old = makeRecord(system);
    const newer = structuredClone(old);
    newer.source.updatedAt = new Date(Date.parse(old.source.updatedAt) + 60_000).toISOString();
    newer.veteran.lastName = `${old.veteran.lastName}-newer`;
    const { parent, children } = makeDependents(system, 1);
    const older526 = makeRecord(system, (r) => {
      r.claimDate = "2021-03-01T10:00:00Z";
    });
    const newer526 = makeRecord(system, (r) => {
      r.veteran = older526.veteran;
      r.claimDate = "2021-09-01T10:00:00Z";
    });
    // chunk 1: the old version, the child, the older copy; chunk 2: the newer version, the parent, the
    // newer copy (the file import writes two chunks at once)
    const chunk = FILE_CHUNK_LIMITS.records;
    const records = [old, children[0], older526, ...filler(chunk - 3), newer, parent, newer526, ...filler(chunk - 3)];
    const file = path.join(dir, "chunks.ndjson");
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const run = await runIngest(file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`created ${records.length - 1}, updated 1, unchanged 0, refused 0`));

    const claimOf = async (r: { source: { id: string } }) => {
      const [row] = await db.execute<Record<string, string | number | null>>(sql`
        select c.id, c.veteran_last_name, c.triage_state, c.duplicate_of, c.main_claim_id, c.waiting_for
        from ingest_records r join saved_claims c on c.id = r.claim_id
        where r.source_system = ${system} and r.source_id = ${r.source.id}`);
      return row;
    };
    expect((await claimOf(old)).veteran_last_name).toBe(newer.veteran.lastName);
    const parentClaim = await claimOf(parent);
    expect(await claimOf(children[0])).toMatchObject({ main_claim_id: parentClaim.id, waiting_for: null });
    const newest = await claimOf(newer526);
    expect(newest).toMatchObject({ triage_state: "never_tried", duplicate_of: null });
    expect(await claimOf(older526)).toMatchObject({ triage_state: "duplicate", duplicate_of: newest.id });
    expect(await footprint(db, system)).toMatchObject({ records: records.length - 1, claims: records.length - 1 });
  });

  it("exits 1 with a message when the file cannot be read", async () => {
    const missing = await runIngest(path.join(dir, "nowhere.ndjson"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT/);
    const usage = await runIngest();
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/usage: npm run ingest/);
  });
});
