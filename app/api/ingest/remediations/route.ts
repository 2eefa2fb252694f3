import { getDb } from "@/lib/db";
import { parseCursor, parseLimit, readRemediationFeed } from "@/lib/ingest/remediation-feed";
import { refuseUnlessIngestToken } from "@/lib/ingest/submissions-request";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

// GET /api/ingest/remediations?after=CURSOR&limit=N (docs/ingest.md): every backup outcome of ours
// for the claims a source sent, in a stable order; the source polls with the `next` it was given.
export async function GET(request: Request) {
  const refused = refuseUnlessIngestToken(request);
  if (refused) return refused;
  const params = new URL(request.url).searchParams;
  const afterText = params.get("after");
  const after = parseCursor(afterText);
  const limit = parseLimit(params.get("limit"));
  if (after === "invalid" || limit === "invalid") {
    return Response.json(
      { error: "after must be a cursor this feed gave (or absent); limit a whole number from 1 to 1000." },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  }
  try {
    const page = await readRemediationFeed(getDb(), after, limit, afterText || null);
    return Response.json(page, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    log.error({ err: error }, "ingest: remediation feed failed");
    return Response.json({ error: "The feed could not be read; ask again." }, { status: 503 });
  }
}
