import { z } from "zod";
import { OVERVIEW_REFRESH_SECONDS, refreshOverviewViews } from "@/db/queries/overview";
import { defineJob } from "./job";

// Brings the overview's heavy figures (materialized views) up to date about once a minute. The
// refresh also checks when any process last did it, so two workers never run it back to back.

export const refreshOverviewJob = defineJob({
  queue: { name: "refresh-overview", policy: "standard", retryLimit: 0, expireInSeconds: 300 },
  payloadSchema: z.object({}).passthrough(),
  concurrency: () => 1,
  periodic: { singletonKey: "refresh-overview", everySeconds: () => OVERVIEW_REFRESH_SECONDS },
  handler: async (deps) => void (await refreshOverviewViews(deps.db, OVERVIEW_REFRESH_SECONDS)),
});
