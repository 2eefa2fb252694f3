// Fault injection: random faults at configured rates, and a script of exact next responses so a
// test can say "the next upload call gets a 503, then a 429" and know that is what happens.

import { z } from "zod";
import { seededRandom } from "@/lib/seeded-random";
import type { FaultConfig } from "./options";

export const FAULT_ROUTES = ["create", "upload", "status", "report", "validate", "notify"] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

const faultStepSchema = z
  .object({
    route: z.enum(FAULT_ROUTES).optional(),
    /** Answer with this HTTP status (4xx/5xx). */
    status: z.number().int().min(400).max(599).optional(),
    /** Retry-After to send: seconds, or an HTTP date string. */
    retryAfter: z.union([z.number().min(0), z.string().min(1)]).optional(),
    /** Never answer. */
    hang: z.boolean().optional(),
    /** Upload only: answer 200 with an ETag that is not the payload's MD5. */
    badEtag: z.boolean().optional(),
    /** Upload only: accept the PUT, then end the upload in this status. */
    endState: z.enum(["error", "expired"]).optional(),
    /** Extra delay before this one response. */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    detail: z.string().max(500).optional(),
  })
  .strict();
export type FaultStep = z.infer<typeof faultStepSchema>;

const rate = z.number().min(0).max(1);
export const faultPatchSchema = z
  .object({
    latencyMs: z.number().int().min(0).max(600_000),
    failRate: rate,
    rateLimitRate: rate,
    retryAfterS: z.number().int().min(0).max(86_400),
    hangRate: rate,
    badRequestRate: rate,
    notifyBadRequestRate: rate,
    errorRate: rate,
    expireRate: rate,
    // Timing can be changed at run time too; it applies to uploads created or PUT from then on.
    stepMs: z.number().int().min(0).max(3_600_000),
    locationTtlMs: z.number().int().min(0).max(86_400_000),
    reportCacheMs: z.number().int().min(0).max(86_400_000),
    sandbox: z.boolean(),
    /** Appended to the script; `replaceNextFailures: true` clears it first. */
    nextFailures: z.array(faultStepSchema).max(10_000),
    replaceNextFailures: z.boolean(),
  })
  .partial()
  .strict();
export type FaultPatch = z.infer<typeof faultPatchSchema>;

const FAULT_CONFIG_KEYS = [
  "latencyMs",
  "failRate",
  "rateLimitRate",
  "retryAfterS",
  "hangRate",
  "badRequestRate",
  "notifyBadRequestRate",
  "errorRate",
  "expireRate",
] as const satisfies readonly (keyof FaultConfig)[];

// Steps that only mean something for a PUT go to the upload route when no route is named.
function routeOf(step: FaultStep): FaultRoute | undefined {
  return step.route ?? (step.badEtag || step.endState ? "upload" : undefined);
}

export class FaultInjector {
  config: FaultConfig;
  private readonly initial: FaultConfig;
  private script: FaultStep[] = [];
  readonly random: () => number;

  constructor(initial: FaultConfig, seed?: number) {
    this.initial = { ...initial };
    this.config = { ...initial };
    this.random = seed === undefined ? Math.random : seededRandom(seed);
  }

  apply(patch: FaultPatch): void {
    // Timing settings in the same patch are the server's to apply.
    for (const key of FAULT_CONFIG_KEYS) {
      const value = patch[key];
      if (value !== undefined) this.config[key] = value;
    }
    if (patch.replaceNextFailures) this.script = [];
    if (patch.nextFailures) this.script.push(...patch.nextFailures);
  }

  reset(): void {
    this.config = { ...this.initial };
    this.script = [];
  }

  pending(): FaultStep[] {
    return [...this.script];
  }

  /** The scripted step for this route if one is queued, else a random fault, else nothing. */
  take(route: FaultRoute): FaultStep | undefined {
    const index = this.script.findIndex((step) => {
      const stepRoute = routeOf(step);
      return stepRoute === undefined || stepRoute === route;
    });
    if (index >= 0) return this.script.splice(index, 1)[0];
    return this.randomFault(route);
  }

  private randomFault(route: FaultRoute): FaultStep | undefined {
    const { hangRate, failRate, rateLimitRate, retryAfterS } = this.config;
    const badRequestRate = route === "notify" ? this.config.notifyBadRequestRate : this.config.badRequestRate;
    if (hangRate + failRate + rateLimitRate + badRequestRate === 0) return undefined;
    // One draw walked down the rates in order (the same arithmetic as before, so a seed replays).
    let r = this.random();
    r -= hangRate;
    if (r < 0) return { hang: true };
    r -= failRate;
    if (r < 0) return { status: this.random() < 0.5 ? 500 : 503 };
    r -= rateLimitRate;
    if (r < 0) return { status: 429, retryAfter: retryAfterS };
    r -= badRequestRate;
    if (r < 0) return { status: 400 };
    return undefined;
  }

  /** How a valid upload ends, from the configured rates. */
  randomEndState(): "vbms" | "error" | "expired" {
    const r = this.random();
    if (r < this.config.expireRate) return "expired";
    if (r < this.config.expireRate + this.config.errorRate) return "error";
    return "vbms";
  }
}
