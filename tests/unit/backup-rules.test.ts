import { describe, expect, it } from "vitest";
import { isOutstanding, isSilentFailure, OUTSTANDING_STATES } from "@/db/outstanding";
import { type TriageState, triageStateEnum } from "@/db/schema/enums";
import { backupSkipReason, SKIP_REASON_TEXT, type SkipReason, stateSkipReason } from "@/lib/backup/rules";

const WAITING: Record<string, SkipReason> = {
  evidence: "waiting_for_evidence",
  parent_claim: "waiting_for_parent_claim",
};

// The rule of which claims may start a backup, written out as a table for every triage state, with
// and without a backup in flight, with and without force. A new triage state fails here until it
// is given a row: the rule must be decided for it, not inherited by accident.

const EXPECTED: Record<TriageState, { normal: SkipReason | null; forced: SkipReason | null }> = {
  never_tried: { normal: null, forced: null },
  in_progress: { normal: null, forced: null }, // refused by its in-flight slot, not by its state
  submitted: { normal: "already_submitted", forced: null },
  confirmed: { normal: "already_submitted", forced: null },
  failed: { normal: null, forced: null },
  excluded: { normal: "excluded", forced: "excluded" },
  duplicate: { normal: "duplicate", forced: null },
  // The system of record shows it succeeded or was remediated there: nothing to resubmit, force or not.
  resolved_elsewhere: { normal: "resolved_elsewhere", forced: "resolved_elsewhere" },
};

const cases = triageStateEnum.enumValues.flatMap((state) =>
  [null, "evidence", "parent_claim"].flatMap((waitingFor) =>
    [false, true].flatMap((inFlight) => [false, true].map((force) => ({ state, waitingFor, inFlight, force }))),
  ),
);

describe("which claims may start a backup", () => {
  it("has a row for every triage state", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...triageStateEnum.enumValues].sort());
  });

  it.each(cases)("$state, waiting for $waitingFor, in flight $inFlight, force $force", (c) => {
    const byState = c.force ? EXPECTED[c.state].forced : EXPECTED[c.state].normal;
    expect(stateSkipReason(c.state, c.force)).toBe(byState);
    // The state is judged first, then what the claim waits for (force does not lift it: it cannot
    // supply what has not arrived), then the in-flight slot.
    const waiting = c.waitingFor ? WAITING[c.waitingFor] : null;
    expect(backupSkipReason({ triageState: c.state, waitingFor: c.waitingFor, inFlight: c.inFlight }, c.force)).toBe(
      byState ?? waiting ?? (c.inFlight ? "already_in_flight" : null),
    );
  });

  it("explains every reason in words", () => {
    for (const text of Object.values(SKIP_REASON_TEXT)) expect(text).toMatch(/^[a-z].{8,}/);
  });
});

describe("what counts as outstanding and as a silent failure", () => {
  it.each(triageStateEnum.enumValues)("%s", (state) => {
    const outstanding = state === "never_tried" || state === "failed";
    expect(isOutstanding(state)).toBe(outstanding);
    expect(isSilentFailure({ triageState: state, failureNotified: false })).toBe(outstanding);
    expect(isSilentFailure({ triageState: state, failureNotified: true })).toBe(false);
  });

  it("lists the outstanding states as the partial index does", () => {
    expect([...OUTSTANDING_STATES]).toEqual(["never_tried", "failed"]);
  });
});
