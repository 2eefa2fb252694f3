"use server";

import { pauseBatch } from "@/lib/batches/controls";
import { getDb } from "@/lib/db";
import { defineAction } from "../define-action";
import { batchControlSchema, runControl } from "./control";

export const pauseBatchAction = defineAction({
  name: "batch.pause",
  role: "triager",
  schema: batchControlSchema,
  handler: (input, ctx) =>
    runControl(input.batchId, () =>
      pauseBatch(getDb(), {
        batchId: input.batchId,
        reason: input.reason || null,
        user: ctx.user,
        origin: { ip: ctx.ip, userAgent: ctx.userAgent },
      }),
    ),
});
