import { type NextRequest, NextResponse } from "next/server";
import { getEnv } from "@/lib/env";
import { CSP_REPORT_PATH, newNonce, pageContentSecurityPolicy } from "@/lib/security/content-security-policy";

// Every page gets its own script nonce (lib/security/content-security-policy.ts). The policy goes
// on the request, where Next finds the nonce while rendering, and on the response, where the
// browser enforces it. The headers that never change are in next.config.js.

export function proxy(request: NextRequest) {
  const env = getEnv();
  const policy = pageContentSecurityPolicy({
    nonce: newNonce(),
    development: env.NODE_ENV === "development",
    https: env.NEXTAUTH_URL?.startsWith("https://") ?? false,
    reportUri: env.CSP_REPORT_FILE ? CSP_REPORT_PATH : undefined,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages (and the server actions posted to them). Not /api: route handlers answer data, get a
      // fixed policy from next.config.js, and a proxy in front of them would buffer request bodies
      // (Next clones them for the proxy, up to 10 MB), which ingest's 20 MB files must not meet.
      // Not the static files, and not link prefetches, which render no scripts.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
