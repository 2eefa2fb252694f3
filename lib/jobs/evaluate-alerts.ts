import { z } from "zod";
import { evaluateAlerts } from "../alerts/evaluate";
import { getEnv } from "../env";
import { defineJob } from "./job";

// The monitoring rules, on the worker's clock (as often as uploads are polled, between 5 s and a
// minute), so an alert fires and clears whether or not anyone has the app open.

export const evaluateAlertsJob = defineJob({
  queue: { name: "evaluate-alerts", policy: "standard", retryLimit: 0, expireInSeconds: 120 },
  payloadSchema: z.object({}).passthrough(),
  concurrency: () => 1,
  periodic: {
    singletonKey: "evaluate-alerts",
    everySeconds: (config) => Math.min(60, Math.max(5, config.statusPollSeconds)),
  },
  handler: async (deps) => {
    const env = getEnv();
    const to = (env.ALERT_EMAIL_TO ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    await evaluateAlerts(
      deps.db,
      {
        batchStallMinutes: env.ALERT_BATCH_STALL_MINUTES,
        groupGrowthPerHour: env.ALERT_GROUP_GROWTH_PER_HOUR,
        intake5xxPercent: env.ALERT_INTAKE_5XX_PERCENT,
        intakeMinCalls: env.ALERT_INTAKE_MIN_CALLS,
      },
      {
        appUrl: env.NEXTAUTH_URL ?? "http://localhost:3000",
        email: to.length ? { client: deps.vaNotify, templateId: env.VA_NOTIFY_TEMPLATE_ALERT, to } : null,
        webhook: env.ALERT_WEBHOOK_URL ? { url: env.ALERT_WEBHOOK_URL, timeoutMs: 10_000 } : null,
      },
    );
  },
});
