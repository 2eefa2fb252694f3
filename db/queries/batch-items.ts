import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { batchItems } from "../schema";
import type { BatchItemState } from "../schema/enums";

export async function setBatchItemState(
  db: DbOrTx,
  batchId: number | null,
  claimId: number,
  state: BatchItemState,
  extra: { attemptId?: number; message?: string | null } = {},
) {
  if (!batchId) return;
  await db
    .update(batchItems)
    .set({
      state,
      ...(extra.attemptId ? { attemptId: extra.attemptId } : {}),
      ...(extra.message !== undefined ? { message: extra.message } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(batchItems.batchId, batchId), eq(batchItems.claimId, claimId)));
}
