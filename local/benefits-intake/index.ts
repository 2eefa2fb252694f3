export { FAULT_ROUTES, type FaultPatch, type FaultRoute, type FaultStep } from "./faults";
export {
  cliPortFromEnv,
  DEFAULT_API_KEY,
  DEFAULT_NOTIFY_API_KEY,
  DEFAULT_PORT,
  type FaultConfig,
  type LocalBenefitsIntakeOptions,
  optionsFromEnv,
} from "./options";
export { ADMIN_BASE_PATH } from "./routes-admin";
export { API_BASE_PATH } from "./routes-intake";
export { NOTIFY_BASE_PATH } from "./routes-notify";
export { type LocalBenefitsIntake, startLocalBenefitsIntake } from "./server";
