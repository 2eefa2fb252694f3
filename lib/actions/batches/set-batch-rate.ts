"use server";

import { z } from "zod";
import { RATE_LIMITS, setBatchRate } from "@/lib/batches/controls";
import { getDb } from "@/lib/db";
import { defineAction } from "../define-action";
import { batchControlSchema, runControl } from "./control";

export const setBatchRateAction = defineAction({
  name: "batch.rate",
  role: "triager",
  schema: batchControlSchema.extend({
    ratePerMinute: z.coerce
      .number({ error: "Enter a number of claims per minute." })
      .int("Use a whole number of claims per minute.")
      .min(RATE_LIMITS.min, `At least ${RATE_LIMITS.min} claim per minute.`)
      .max(RATE_LIMITS.max, `At most ${RATE_LIMITS.max.toLocaleString("en-US")} claims per minute.`),
  }),
  handler: (input, ctx) =>
    runControl(input.batchId, () =>
      setBatchRate(getDb(), {
        batchId: input.batchId,
        ratePerMinute: input.ratePerMinute,
        reason: input.reason || null,
        user: ctx.user,
        origin: { ip: ctx.ip, userAgent: ctx.userAgent },
      }),
    ),
});
