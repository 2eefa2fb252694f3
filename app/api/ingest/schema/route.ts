import { ingestJsonSchema } from "@/lib/ingest/contract";

// The ingest contract as JSON Schema, generated from its zod definition (docs/ingest.md). Public:
// it describes the shape of a record, never holds one.
export function GET() {
  return Response.json(ingestJsonSchema(), {
    headers: { "Content-Type": "application/schema+json", "Cache-Control": "public, max-age=300" },
  });
}
