import { eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { batches, batchItems, savedClaims } from "@/db/schema";
import { getEnv } from "../env";
import { enqueueBatchDispatch } from "../jobs/dispatch-batch";
import { BatchTooLargeError } from "./batch-limit";

// A batch freezes its claims when it is created: the items are written then, so claims that fail
// later are not swept in (docs/design.md §6a). Items are always main claims (a 674 travels with its 686c).

export type NewBatch = {
  name: string;
  reason: string;
  source: "selection" | "filter" | "import";
  user: { id: number; email: string };
  ratePerMinute: number;
  force?: boolean;
  start: boolean; // false leaves it a draft (imports wait for the admin's confirmation)
  filter?: Record<string, unknown>;
  origin?: { ip: string | null; userAgent: string | null };
  maxItems?: number; // default BATCH_MAX_CLAIMS (lib/batches/batch-limit.ts)
};

export type Selection = { claimIds: number[]; notes?: Map<number, string> } | { where: SQL };

export async function createBatch(db: Db, input: NewBatch, selection: Selection) {
  const maxItems = input.maxItems ?? getEnv().BATCH_MAX_CLAIMS;
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(batches)
      .values({
        name: input.name,
        reason: input.reason,
        source: input.source,
        filter: input.filter ?? null,
        state: input.start ? "queued" : "draft",
        ratePerMinute: input.ratePerMinute,
        force: input.force ? 1 : 0,
        createdByUserId: input.user.id,
      })
      .returning();
    const where =
      "where" in selection
        ? selection.where
        : inArray(savedClaims.id, selection.claimIds.length ? selection.claimIds : [-1]);
    // One statement, whatever the size: 40,000 items are written by PostgreSQL, not row by row.
    // It stops one item past the cap: a selection over it is refused and rolled back, its cost bounded.
    const inserted = await tx.execute(sql`
      insert into ${batchItems} (batch_id, claim_id)
      select ${batch.id}, coalesce(${savedClaims.mainClaimId}, ${savedClaims.id}) from ${savedClaims}
      where ${where}
      group by 2
      limit ${maxItems + 1}
      on conflict do nothing
      returning claim_id`);
    const claimIds = Array.from(inserted as unknown as { claim_id: string | number }[], (r) => Number(r.claim_id));
    if (claimIds.length > maxItems) throw new BatchTooLargeError(maxItems);
    if ("claimIds" in selection && selection.notes) {
      for (const [claimId, note] of selection.notes) {
        await tx
          .update(batchItems)
          .set({ note })
          .where(sql`${batchItems.batchId} = ${batch.id} and ${batchItems.claimId} = ${claimId}`);
      }
    }
    await tx.update(batches).set({ itemCount: claimIds.length }).where(eq(batches.id, batch.id));
    await recordAudit(tx, {
      user: input.user,
      action: input.start ? "batch.create_and_start" : "batch.create",
      claimIds,
      batchId: batch.id,
      reason: input.reason,
      details: {
        source: input.source,
        name: input.name,
        filter: input.filter ?? null,
        ratePerMinute: input.ratePerMinute,
        force: Boolean(input.force),
      },
      ...input.origin,
    });
    if (input.start) await enqueueBatchDispatch(tx, batch.id);
    return { batchId: batch.id, itemCount: claimIds.length };
  });
}
