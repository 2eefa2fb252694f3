export type { FaultPatch, FaultRoute } from "./faults";
export { cliPortFromEnv, type LocalBenefitsIntakeOptions, optionsFromEnv } from "./options";
export { type LocalBenefitsIntake, startLocalBenefitsIntake } from "./server";
