export { startLocalBenefitsIntake, type LocalBenefitsIntake } from "./server";
export {
  optionsFromEnv,
  cliPortFromEnv,
  DEFAULT_API_KEY,
  DEFAULT_NOTIFY_API_KEY,
  DEFAULT_PORT,
  type FaultConfig,
  type LocalBenefitsIntakeOptions,
} from "./options";
export { FAULT_ROUTES, type FaultPatch, type FaultRoute, type FaultStep } from "./faults";
export { API_BASE_PATH } from "./routes-intake";
export { NOTIFY_BASE_PATH } from "./routes-notify";
export { ADMIN_BASE_PATH } from "./routes-admin";
