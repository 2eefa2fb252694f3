import { defineConfig } from "@playwright/test";
import { cspReportFile } from "./tests/support/csp-reports";
import { idpAppEnv } from "./tests/support/idp-people";

// Debian's Chromium: no browser download exists on these machines.
const PORT = Number(process.env.E2E_PORT ?? 3100);
// The test OpenID provider (tests/support/oidc-provider.ts), which the app signs people in through.
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? PORT + 1000);
const OIDC_ISSUER = `http://localhost:${OIDC_PORT}`;
// The app's dispatcher on a compressed clock (DISPATCH_TIME_FACTOR): a batch slower than one claim a
// 2 s tick waits ten times less between starts, so 1 and 2 a minute start every 6 and 3 s; batches at
// 30 a minute and up (batches.spec.ts's, the default 600) run exactly as on the real clock
// (lib/batches/dispatch-schedule.ts). batch-rate.spec.ts reads it; 1 runs that spec on the real clock.
process.env.E2E_DISPATCH_TIME_FACTOR ??= "10";

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  // Chromium reports every Content-Security-Policy violation to the app, which keeps them in a file
  // (CSP_REPORT_FILE below); the run starts with it empty and fails if anything is in it at the end.
  globalSetup: "./tests/support/csp-setup.ts",
  globalTeardown: "./tests/support/csp-teardown.ts",
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
    screenshot: "only-on-failure",
  },
  // Playwright starts these in order, waiting for each URL, and all before any global setup: the
  // OpenID provider is up before the app, which is told its address (OIDC_* from idpAppEnv).
  webServer: [
    {
      command: "npx tsx tests/support/oidc-provider.ts",
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { E2E_OIDC_PORT: String(OIDC_PORT), E2E_PORT: String(PORT) },
    },
    {
      // The app as `npm run demo` runs it (production build, worker, local Benefits Intake, the
      // development sign-in), on the test database: the embedded server tests/run.ts started in
      // CLAIM_TRIAGE_DATA_DIR/pg, which the demo finds there. The demo refuses a DATABASE_URL.
      command: "npx tsx local/launch.ts demo",
      url: `http://localhost:${PORT}/signin`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        PORT: String(PORT),
        DATABASE_URL: "",
        CLAIM_TRIAGE_REBUILD: process.env.CLAIM_TRIAGE_REBUILD ?? "true",
        RETRY_TIME_FACTOR: "1000",
        DISPATCH_TIME_FACTOR: process.env.E2E_DISPATCH_TIME_FACTOR,
        BI_LOCAL_STEP_MS: "300",
        STATUS_POLL_SECONDS: "2",
        LOG_LEVEL: "warn",
        CSP_REPORT_FILE: cspReportFile(),
        ...idpAppEnv(OIDC_ISSUER),
      },
    },
  ],
});
