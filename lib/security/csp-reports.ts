import { appendFile } from "node:fs/promises";

// The browser tests point Chromium's CSP reports here (CSP_REPORT_FILE) and fail the run if any
// arrive (tests/support/csp-reports.ts): a page that needs a script or style the policy blocks
// is broken for its users even when the test happened not to look at the broken part.

const MAX_BODY_BYTES = 64 * 1024;

export type CspViolation = {
  page: string;
  directive: string;
  blocked: string;
  source: string | null;
  line: number | null;
  sample: string | null;
};

function field(report: Record<string, unknown>, ...names: string[]) {
  for (const name of names) if (typeof report[name] === "string" && report[name]) return report[name] as string;
  return null;
}

// report-uri sends {"csp-report": {…}}; the Reporting API sends a list of {type, body: {…}}.
export function parseCspReports(text: string): CspViolation[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const bodies = Array.isArray(json)
    ? json.map((r) => (r as { body?: unknown })?.body)
    : [(json as { "csp-report"?: unknown })?.["csp-report"]];
  return bodies
    .filter((b): b is Record<string, unknown> => typeof b === "object" && b !== null)
    .map((r) => ({
      page: field(r, "document-uri", "documentURL") ?? "?",
      directive: field(r, "effective-directive", "effectiveDirective", "violated-directive") ?? "?",
      blocked: field(r, "blocked-uri", "blockedURL") ?? "?",
      source: field(r, "source-file", "sourceFile"),
      line: Number(r["line-number"] ?? r.lineNumber) || null,
      sample: field(r, "script-sample", "sample"),
    }));
}

export async function recordCspReports(file: string, request: Request): Promise<number> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return 0;
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return 0;
  const violations = parseCspReports(text);
  if (violations.length > 0) await appendFile(file, violations.map((v) => `${JSON.stringify(v)}\n`).join(""));
  return violations.length;
}
