import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CspViolation } from "@/lib/security/csp-reports";

// Every Content-Security-Policy violation Chromium meets anywhere in the browser tests is reported
// to the app (report-uri, on because playwright.config.ts gives the app CSP_REPORT_FILE) and kept in
// one file. Global setup empties it; global teardown fails the run if anything is in it, whichever
// spec files ran, so a spec added later is covered without a line of its own.

// The one deliberate violation (tests/e2e/headers.spec.ts), which proves the reports arrive.
export const CANARY_HOST = "csp-canary.invalid";

export function cspReportFile(): string {
  const dir = process.env.CLAIM_TRIAGE_DATA_DIR ?? os.tmpdir();
  return path.join(dir, `csp-reports-${process.env.E2E_PORT ?? 3100}.ndjson`);
}

export function readCspViolations(): CspViolation[] {
  const file = cspReportFile();
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CspViolation);
}

export const isCanary = (v: CspViolation) => v.blocked.includes(CANARY_HOST);

export function clearCspViolations() {
  writeFileSync(cspReportFile(), "");
}

// Global teardown: reports travel after the page that caused them, so the last ones get a moment.
export async function expectNoCspViolations() {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const found = readCspViolations().filter((v) => !isCanary(v));
  if (found.length === 0) return;
  const lines = found.map(
    (v) => `  ${v.page}: ${v.directive} blocked ${v.blocked}${v.source ? ` (${v.source}:${v.line})` : ""}`,
  );
  throw new Error(`Content-Security-Policy violations during the browser tests:\n${lines.join("\n")}`);
}
