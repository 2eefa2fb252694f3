// The pages' Content-Security-Policy, built per request by proxy.ts around a fresh nonce. Next reads
// the nonce from the policy on the request and puts it on every script it renders (its runtime, the
// page's chunks, the inline flight data), so no script needs 'unsafe-inline'; 'strict-dynamic' lets
// those scripts load the chunks they import. Pages must render per request for this: the root
// layout makes them dynamic.

export type PolicyOptions = {
  nonce: string;
  // `next dev` rebuilds server error stacks with eval; a production build never evaluates strings.
  development: boolean;
  // Served over https (NEXTAUTH_URL): upgrade stray http sub-requests. The demo runs on http://localhost.
  https: boolean;
  // Where the browser reports violations; only set for the browser tests (CSP_REPORT_FILE).
  reportUri?: string;
};

// Where the browser tests' Chromium reports violations (app/api/csp-report, on only with CSP_REPORT_FILE).
export const CSP_REPORT_PATH = "/api/csp-report";

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

export function pageContentSecurityPolicy({ nonce, development, https, reportUri }: PolicyOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Style elements carry the nonce too. Style attributes cannot carry one, and React renders
    // `style={…}` props (chart sizes, progress bars) as attributes: those stay allowed. A style
    // attribute can restyle a page but not run code.
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    // The stamped PDF preview frames /api/documents/… from this origin.
    "frame-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  if (reportUri) directives.push(`report-uri ${reportUri}`);
  return directives.join("; ");
}
