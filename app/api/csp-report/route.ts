import { getEnv } from "@/lib/env";
import { recordCspReports } from "@/lib/security/csp-reports";

export const dynamic = "force-dynamic";

// POST /api/csp-report: Chromium's Content-Security-Policy violation reports, during the browser
// tests only. Without CSP_REPORT_FILE (always, outside the tests) the policy names no report
// address and this answers 404.
export async function POST(request: Request) {
  const file = getEnv().CSP_REPORT_FILE;
  if (!file) return new Response(null, { status: 404 });
  await recordCspReports(file, request);
  return new Response(null, { status: 204 });
}
