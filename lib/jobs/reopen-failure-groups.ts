import { z } from "zod";
import { reopenFailureGroups } from "../failure-groups/lifecycle";
import { log } from "../log";
import { defineJob } from "./job";

// Reopens resolved and ignored failure groups that got new failures (lib/failure-groups/lifecycle.ts),
// on the worker's clock, as often as uploads are polled (between 5 s and a minute).

export const reopenFailureGroupsJob = defineJob({
  queue: { name: "reopen-failure-groups", policy: "standard", retryLimit: 0, expireInSeconds: 120 },
  payloadSchema: z.object({}).passthrough(),
  concurrency: () => 1,
  periodic: {
    singletonKey: "reopen-failure-groups",
    everySeconds: (config) => Math.min(60, Math.max(5, config.statusPollSeconds)),
  },
  handler: async (deps) => {
    const reopened = await reopenFailureGroups(deps.db);
    if (reopened.length > 0) log.info({ groups: reopened.length }, "failure groups reopened");
  },
});
