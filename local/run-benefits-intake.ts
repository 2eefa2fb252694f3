// Starts the local Benefits Intake service (and the local VA Notify beside it) from the command
// line: `npx tsx local/run-benefits-intake.ts`. Settings come from BI_LOCAL_* (see
// docs/benefits-intake.md); the port from BI_LOCAL_PORT, else PORT, else 4010.

import { cliPortFromEnv, optionsFromEnv, startLocalBenefitsIntake } from "./benefits-intake";

async function main(): Promise<void> {
  const { logRequests, ...options } = optionsFromEnv(process.env);
  const service = await startLocalBenefitsIntake({
    ...options,
    port: cliPortFromEnv(process.env),
    log: logRequests ? (line) => console.log(`[benefits-intake] ${line}`) : undefined,
  });
  console.log(`Local Benefits Intake: ${service.url}`);
  console.log(`  BENEFITS_INTAKE_URL=${service.url}`);
  console.log(`  BENEFITS_INTAKE_API_KEY=${service.apiKey}`);
  console.log(`Local VA Notify: ${service.notifyUrl}`);
  console.log(`  VA_NOTIFY_URL=${service.notifyUrl}`);
  console.log(`  VA_NOTIFY_API_KEY=${service.notifyApiKey}`);
  console.log(`Admin: ${service.origin}/_admin/uploads (header apikey: ${service.apiKey})`);

  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[benefits-intake] ${signal}: closing`);
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
