"use server";

import { startBatch } from "@/lib/batches/controls";
import { getDb } from "@/lib/db";
import { defineAction } from "../define-action";
import { batchControlSchema, runControl } from "./control";

export const startBatchAction = defineAction({
  name: "batch.start",
  role: "triager",
  schema: batchControlSchema,
  handler: (input, ctx) =>
    runControl(input.batchId, () =>
      startBatch(getDb(), {
        batchId: input.batchId,
        reason: input.reason || null,
        user: ctx.user,
        origin: { ip: ctx.ip, userAgent: ctx.userAgent },
      }),
    ),
});
