import { expectNoCspViolations } from "./csp-reports";

// Playwright global teardown: any CSP violation reported during the run fails it.
export default async function cspTeardown() {
  await expectNoCspViolations();
}
