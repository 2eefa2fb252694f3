import { getDatabase } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { checkReadiness, readinessResponse } from "@/lib/health";
import { getDocumentStorage } from "@/lib/storage";

export const dynamic = "force-dynamic";

// GET /api/ready, for a load balancer's readiness probe: 200 while PostgreSQL and the document
// storage answer, 503 (with which of the two is failing, and nothing more) while either does not.
export async function GET() {
  const readiness = await checkReadiness({
    database: async () => {
      await getDatabase().sql`select 1`;
    },
    storage: () => getDocumentStorage(getEnv()).check(),
  });
  return readinessResponse(readiness);
}
