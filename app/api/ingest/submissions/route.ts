import { getDb } from "@/lib/db";
import { countResults, readSubmissionsBody, refuseUnlessIngestToken } from "@/lib/ingest/submissions-request";
import { writePrepared } from "@/lib/ingest/write-records";
import { log } from "@/lib/log";

export const dynamic = "force-dynamic";

// POST /api/ingest/submissions (docs/ingest.md): a system of record sends up to 5,000 records, as a
// JSON array or NDJSON, and hears back one result per record. Service to service: a bearer token
// from INGEST_TOKENS, no session.
export async function POST(request: Request) {
  const refused = refuseUnlessIngestToken(request);
  if (refused) return refused;
  try {
    const body = await readSubmissionsBody(request);
    if (!body.ok) return body.response;
    const results = await writePrepared(getDb(), body.chunk, "api");
    return Response.json({ counts: countResults(results), results }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    log.error({ err: error }, "ingest: submissions failed");
    return Response.json(
      { error: "The records could not be stored; nothing from this request was written. Send it again." },
      { status: 503, headers: { "Retry-After": "30" } },
    );
  }
}
