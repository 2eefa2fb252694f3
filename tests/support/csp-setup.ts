import { clearCspViolations } from "./csp-reports";

// Playwright global setup: the run starts with no CSP reports on file.
export default function cspSetup() {
  clearCspViolations();
}
