import { type SQL, sql } from "drizzle-orm";
import { type TriageState, triageStateEnum } from "@/db/schema/enums";

// Which claims may start a backup, and why the others may not: the one home of that rule. The real
// start (start-backup.ts), the dry run the Resubmit dialog shows (lib/claims/dry-run.ts) and the
// retry-list review ask here, so what a triager is told will happen is what happens. The rule is
// written twice, in TypeScript (for rows already read) and in SQL (to count or pick claims in
// PostgreSQL); the two must agree, and the SQL's list of refused states is derived from the
// TypeScript, so only the waiting and in-flight tests are written out twice (tests/unit/backup-rules.test.ts
// checks the TypeScript, tests/integration/backup-rules.test.ts the SQL and the two callers).

export type SkipReason =
  | "already_in_flight"
  | "already_submitted"
  | "excluded"
  | "duplicate"
  | "resolved_elsewhere"
  | "waiting_for_evidence"
  | "waiting_for_parent_claim"
  | "unknown_claim";

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  already_in_flight: "a backup is already queued or running for this claim",
  already_submitted: "already submitted or confirmed in VBMS (resubmit with force to send again)",
  excluded: "excluded by an admin",
  duplicate: "a duplicate of another claim of the same veteran",
  resolved_elsewhere: "resolved elsewhere: the system of record shows it succeeded or was remediated there",
  waiting_for_evidence: "waiting for an evidence file the system of record has not sent yet",
  waiting_for_parent_claim: "waiting for its 686c to arrive from the system of record",
  unknown_claim: "no such claim",
};

// The claim's triage state alone. Force sends again what already reached Benefits Intake or stands
// as a duplicate; nothing sends an excluded claim (an admin brings it back first), nor one the system
// of record shows resolved elsewhere (lib/ingest/reconcile.ts): sending it again would file it twice.
export function stateSkipReason(state: TriageState, force: boolean): SkipReason | null {
  if (state === "excluded") return "excluded";
  if (state === "resolved_elsewhere") return "resolved_elsewhere";
  if (state === "duplicate" && !force) return "duplicate";
  if ((state === "submitted" || state === "confirmed") && !force) return "already_submitted";
  return null;
}

// What an ingested main claim still waits for (saved_claims.waiting_for, kept by lib/ingest): a
// backup without the veteran's evidence, or a 674 without its 686c, would send an incomplete claim.
// Force does not override it: force sends again, it cannot supply what has not arrived.
export function waitingSkipReason(waitingFor: string | null): SkipReason | null {
  if (waitingFor === "evidence") return "waiting_for_evidence";
  if (waitingFor === "parent_claim") return "waiting_for_parent_claim";
  return null;
}

// The claim itself, as the start reads it under lock: its state first, then what it waits for.
export function claimSkipReason(claim: { triageState: TriageState; waitingFor: string | null }, force: boolean) {
  return stateSkipReason(claim.triageState, force) ?? waitingSkipReason(claim.waitingFor);
}

// The whole rule for a main claim: the claim, then its one in-flight slot (a backup queued, running
// or waiting to retry holds it).
export function backupSkipReason(
  claim: { triageState: TriageState; waitingFor: string | null; inFlight: boolean },
  force: boolean,
): SkipReason | null {
  return claimSkipReason(claim, force) ?? (claim.inFlight ? "already_in_flight" : null);
}

// The states stateSkipReason refuses, as SQL literals (constants from the enum: PostgreSQL sees them
// as written, so plans and partial indexes treat them as it would hand-written ones).
function refusedStatesSql(force: boolean): SQL {
  const refused = triageStateEnum.enumValues.filter((s) => stateSkipReason(s, force) !== null);
  return sql.raw(refused.map((s) => `'${s}'`).join(", "));
}

// SQL twin of `backupSkipReason(...) === null`: true for a main claim that may start. `claim` names
// its triage state, its saved_claims.waiting_for and its backup_submissions.in_flight_since (null
// when it never had a backup).
export function mayStartSql(claim: { triageState: SQL; waitingFor: SQL; inFlightSince: SQL }, force: boolean): SQL {
  return sql`(${claim.triageState} not in (${refusedStatesSql(force)}) and ${claim.waitingFor} is null and ${claim.inFlightSince} is null)`;
}
