import { requireApiUser } from "@/lib/auth/session";
import { getBatchProgress } from "@/lib/batches/progress";
import { getDb } from "@/lib/db";
import { parseUrlId } from "@/lib/url-id";

// The batch page polls this every ~2 s while the batch runs: counts, pace, time left, recent
// failures. No PII: failures carry claim ids and messages only.

export const dynamic = "force-dynamic";

export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  const user = await requireApiUser("viewer");
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const batchId = parseUrlId(id);
  if (batchId === null) return Response.json({ error: "Not a batch id." }, { status: 400 });
  const progress = await getBatchProgress(getDb(), batchId);
  if (!progress) return Response.json({ error: `Batch #${batchId} does not exist.` }, { status: 404 });
  return Response.json(progress, { headers: { "Cache-Control": "no-store" } });
}
