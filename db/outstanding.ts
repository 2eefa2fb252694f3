import { type SQL, sql } from "drizzle-orm";
import { savedClaims } from "./schema";
import type { TriageState } from "./schema/enums";

// What the triage team still owes: the one home of "outstanding" (never tried, or failed and back
// with a person) and of a "silent failure" (outstanding, and the veteran was never told). The
// overview's figures, the metrics and the burn-down's daily point count them with the SQL below;
// the TypeScript says the same of a claim already read. The two must agree. The SQL
// keeps the states as literals, as the partial index saved_claims_silent_idx (migration 0000, and
// its declaration in db/schema/claims.ts) is written, so the planner can use that index.

export const OUTSTANDING_STATES = ["never_tried", "failed"] as const satisfies readonly TriageState[];

export function isOutstanding(state: TriageState): boolean {
  return (OUTSTANDING_STATES as readonly TriageState[]).includes(state);
}

export function isSilentFailure(claim: { triageState: TriageState; failureNotified: boolean }): boolean {
  return !claim.failureNotified && isOutstanding(claim.triageState);
}

const outstandingStates = sql.raw(OUTSTANDING_STATES.map((s) => `'${s}'`).join(", "));

// Conditions on saved_claims by its own name (not an alias); a new fragment per call, as drizzle's
// SQL objects can be changed in place by the query that embeds them.
export function outstandingSql(): SQL {
  return sql`${savedClaims.triageState} in (${outstandingStates})`;
}

export function silentFailureSql(): SQL {
  return sql`not ${savedClaims.failureNotified} and ${outstandingSql()}`;
}
