import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";

// #13.4: logs carry error names, SQLSTATE codes and ids, never PII. The hostile-input suite (server
// actions and route handlers called with hostile values, failing database statements included) and
// the backup flow suites (happy path and injected faults, with the real worker code) run again here
// in a child vitest with every log level on; each log line they wrote is then searched for the name,
// file number and e-mail of every veteran in the database, and of the veterans the suites made.

const SUITES = [
  "tests/integration/hostile-input.test.ts",
  "tests/integration/backup-flow.test.ts",
  "tests/integration/backup-faults.test.ts",
];

const { sql, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
afterAll(() => close());

function runSuites(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const vitest = path.join(process.cwd(), "node_modules", ".bin", "vitest");
    const child = spawn(vitest, ["run", ...SUITES], {
      env: { ...process.env, LOG_LEVEL: "trace", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const WORD = /[\p{L}][\p{L}'’-]*/gu;

describe("no PII in the logs", () => {
  it("while the hostile-input and backup flow suites run, no log line names a veteran", {
    timeout: 900_000,
  }, async () => {
    const { stdout, stderr } = await runSuites();
    // Kept for a person reading a failure: the suites' whole output, log lines and reporter.
    writeFileSync(path.join(os.tmpdir(), "claim-triage-log-pii.txt"), `${stdout}\n${stderr}`);
    // pino's lines: one JSON object each, with a level. The suites' own reporter output is not a log.
    const lines = stdout.split("\n").filter((l) => l.startsWith("{") && l.includes('"level":'));
    expect(lines.length, "the suites wrote no log lines: was LOG_LEVEL passed on?").toBeGreaterThan(10);
    // The suites ran (their own failures are theirs to report: this test is about the logs).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the reporter's colour codes
    const summary = stdout.replace(/\u001b\[[0-9;]*m/g, "").match(/Tests\s+(?:\d+ failed \| )?(\d+) passed/);
    expect(Number(summary?.[1] ?? 0), "the suites' tests did not run").toBeGreaterThan(10);

    // Every veteran in the database once the suites are done: the seeded ones and the suites' own.
    const people = await sql<{ first: string; last: string; file: string; email: string | null }[]>`
      select distinct veteran_first_name as first, veteran_last_name as last, file_number as file, email
      from saved_claims`;
    expect(people.length).toBeGreaterThan(100);
    const lastNames = new Set(people.map((p) => p.last));
    const fullNames = new Set(people.map((p) => `${p.first} ${p.last}`));
    const fileNumbers = new Set(people.map((p) => p.file));
    const emails = new Set(people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])));

    const found: string[] = [];
    for (const line of lines) {
      const words = line.match(WORD) ?? [];
      for (const [i, word] of words.entries()) {
        if (lastNames.has(word) || fullNames.has(`${word} ${words[i + 1]}`)) found.push(`name ${word}: ${line}`);
      }
      for (const digits of line.match(/\b\d{8,9}\b/g) ?? []) {
        if (fileNumbers.has(digits)) found.push(`file number ${digits}: ${line}`);
      }
      for (const email of line.toLowerCase().match(/[^\s"'<>,;:()[\]{}]+@[^\s"'<>,;:()[\]{}]+/g) ?? []) {
        if (emails.has(email) || email.endsWith("@example.com")) found.push(`e-mail ${email}: ${line}`);
      }
    }
    expect(found.slice(0, 20)).toEqual([]);
  });
});
