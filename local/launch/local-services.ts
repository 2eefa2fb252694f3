import { writeFileSync } from "node:fs";
import path from "node:path";

// The local Benefits Intake and the local VA Notify beside it (local/benefits-intake), started for
// whichever of the two the environment does not name: a real Benefits Intake sandbox with the local
// VA Notify is a setup people use, so each is decided on its own. Fills in the URLs and keys.
export async function startMissingServices(
  env: Record<string, string | undefined>,
  options: { dataDir: string; log: (line: string) => void },
): Promise<{ close: () => Promise<void> } | undefined> {
  const localIntake = !env.BENEFITS_INTAKE_URL;
  const localNotify = !env.VA_NOTIFY_URL;
  if (!localIntake && !localNotify) return undefined;

  const { startLocalBenefitsIntake, optionsFromEnv } = await import("../benefits-intake");
  // BI_LOCAL_* knobs (latency, faults, timing) pass through; the port is picked here.
  const service = await startLocalBenefitsIntake({
    ...optionsFromEnv(env),
    port: Number(env.BI_LOCAL_PORT ?? 0),
    dataDir: path.join(options.dataDir, "benefits-intake"),
  });
  if (localIntake) {
    env.BENEFITS_INTAKE_URL = service.url;
    env.BENEFITS_INTAKE_API_KEY = service.apiKey;
    // Demos should not wait hours for the Sidekiq schedule; production leaves this at 1.
    env.RETRY_TIME_FACTOR ??= "60";
    options.log(`local Benefits Intake service at ${service.url}`);
  }
  if (localNotify) {
    // A key from elsewhere would not sign tokens the local VA Notify accepts: its own goes with it.
    env.VA_NOTIFY_URL = service.notifyUrl;
    env.VA_NOTIFY_API_KEY = service.notifyApiKey;
    options.log(`local VA Notify at ${service.notifyUrl}`);
  }
  // Alerts go to the local services too: the webhook receiver, and the local VA Notify for e-mail.
  env.ALERT_WEBHOOK_URL ??= `${service.origin}/webhooks/alerts`;
  if (localNotify) env.ALERT_EMAIL_TO ??= "triage-team@example.com";
  // Where the local services listen, for the browser tests to read what was delivered.
  writeFileSync(
    path.join(options.dataDir, "local-services.json"),
    JSON.stringify({ origin: service.origin, apiKey: service.apiKey }),
    { mode: 0o600 },
  );
  return service;
}
