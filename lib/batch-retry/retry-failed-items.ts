import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches, batchItems } from "@/db/schema";
import { createBatch } from "../batches/create-batch";

// "Retry the failed items": a new batch of one batch's failed items, at that batch's rate, through
// the one batch creation (so the same start rules, dry-run skips and audit apply). The old batch
// keeps its figures: its items stay failed, as they were.

export type RetryFailedResult = { ok: true; batchId: number; itemCount: number } | { ok: false; error: string };

export async function retryFailedItems(
  db: Db,
  input: {
    batchId: number;
    reason: string;
    user: { id: number; email: string };
    origin: { ip: string | null; userAgent: string | null };
  },
): Promise<RetryFailedResult> {
  const [batch] = await db
    .select({ id: batches.id, ratePerMinute: batches.ratePerMinute })
    .from(batches)
    .where(eq(batches.id, input.batchId));
  if (!batch) return { ok: false, error: "No such batch." };
  const failed = await db
    .select({ claimId: batchItems.claimId })
    .from(batchItems)
    .where(and(eq(batchItems.batchId, input.batchId), eq(batchItems.state, "failed")));
  if (failed.length === 0) return { ok: false, error: "This batch has no failed items to retry." };
  const created = await createBatch(
    db,
    {
      name: `Retry of the failed items of batch #${batch.id}`,
      reason: input.reason,
      source: "selection",
      user: input.user,
      ratePerMinute: batch.ratePerMinute,
      start: true,
      origin: input.origin,
    },
    { claimIds: failed.map((f) => f.claimId) },
  );
  return { ok: true, batchId: created.batchId, itemCount: created.itemCount };
}
