import { getFiringAlerts } from "@/db/queries/alerts";
import { requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

// The alert banner polls this (every 30 s and on each navigation): the episodes open now, as the
// worker left them. No PII: summaries name counts, batch ids and failure fingerprints.

export const dynamic = "force-dynamic";

export async function GET() {
  const user = await requireApiUser("viewer");
  if (user instanceof Response) return user;
  const alerts = await getFiringAlerts(getDb());
  return Response.json({ alerts }, { headers: { "Cache-Control": "no-store" } });
}
