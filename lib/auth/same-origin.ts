import { getEnv } from "../env";

// Cross-site request forgery: a page on another site makes the person's browser send a request
// that carries their session cookie. Browsers name the page's origin in `Origin` on every POST,
// PUT, PATCH and DELETE, so a route handler that changes state refuses one naming anyone but the
// app's public address (NEXTAUTH_URL). A request without Origin did not come from another page in
// a browser (scripts and tools send none, and carry no one's cookie by accident): it goes on to
// the session check like any other, unless Sec-Fetch-Site says a browser sent it cross-site.
// Server actions need none of this: Next compares their Origin with the Host itself.

export function crossOriginRefusal(request: Request): Response | null {
  const expected = new URL(getEnv().NEXTAUTH_URL ?? request.url).origin;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  const allowed = origin === null ? site === null || site === "same-origin" || site === "none" : origin === expected;
  if (allowed) return null;
  return Response.json(
    { error: "This request came from another site and was refused; nothing was changed." },
    { status: 403 },
  );
}
