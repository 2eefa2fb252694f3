import { timingSafeEqual } from "node:crypto";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { renderMetrics } from "@/lib/metrics";

export const dynamic = "force-dynamic";

// For the Prometheus scraper, not for people: a bearer token instead of a session.
export async function GET(request: Request) {
  const expected = getEnv().METRICS_TOKEN;
  const given = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  const ok =
    Boolean(expected) &&
    given.length === expected!.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected!));
  if (!ok) return Response.json({ error: "A valid metrics token is required." }, { status: 401 });
  return new Response(await renderMetrics(getDb()), {
    headers: { "Content-Type": "text/plain; version=0.0.4", "Cache-Control": "no-store" },
  });
}
