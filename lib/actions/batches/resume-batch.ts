"use server";

import { resumeBatch } from "@/lib/batches/controls";
import { getDb } from "@/lib/db";
import { defineAction } from "../define-action";
import { batchControlSchema, runControl } from "./control";

export const resumeBatchAction = defineAction({
  name: "batch.resume",
  role: "triager",
  schema: batchControlSchema,
  handler: (input, ctx) =>
    runControl(input.batchId, () =>
      resumeBatch(getDb(), {
        batchId: input.batchId,
        reason: input.reason || null,
        user: ctx.user,
        origin: { ip: ctx.ip, userAgent: ctx.userAgent },
      }),
    ),
});
