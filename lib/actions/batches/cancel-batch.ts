"use server";

import { cancelBatch } from "@/lib/batches/controls";
import { getDb } from "@/lib/db";
import { defineAction } from "../define-action";
import { batchControlSchema, runControl } from "./control";

export const cancelBatchAction = defineAction({
  name: "batch.cancel",
  role: "admin",
  schema: batchControlSchema,
  handler: (input, ctx) =>
    runControl(input.batchId, () =>
      cancelBatch(getDb(), {
        batchId: input.batchId,
        reason: input.reason || null,
        user: ctx.user,
        origin: { ip: ctx.ip, userAgent: ctx.userAgent },
      }),
    ),
});
