import { describe, expect, it } from "vitest";
import { triageStateEnum } from "@/db/schema/enums";
import { reconcileOutcome } from "@/lib/ingest/reconcile";

// What a record showing success elsewhere does to a claim, for every triage state, with and without
// a backup of ours in flight (tests/integration/ingest-reconcile.test.ts runs it through ingest).

const EXPECTED = {
  never_tried: "resolved_elsewhere",
  in_progress: "conflict",
  submitted: "noted",
  confirmed: "noted",
  failed: "resolved_elsewhere",
  excluded: "noted", // an admin's exclusion; ingest's own parking is resolved_elsewhere
  duplicate: "resolved_elsewhere",
  resolved_elsewhere: null,
} as const;

describe("reconcileOutcome", () => {
  it("has a row for every triage state", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...triageStateEnum.enumValues].sort());
  });

  it.each(triageStateEnum.enumValues)("%s", (triageState) => {
    expect(reconcileOutcome({ claimId: 1, triageState, inFlight: false, excludedByIngest: false })).toBe(
      EXPECTED[triageState],
    );
    // A backup of ours in flight always goes to a person, whatever the state says.
    const inFlight = reconcileOutcome({ claimId: 1, triageState, inFlight: true, excludedByIngest: false });
    expect(inFlight).toBe(triageState === "resolved_elsewhere" ? null : "conflict");
  });

  it("takes a claim ingest itself parked off the list", () => {
    expect(reconcileOutcome({ claimId: 1, triageState: "excluded", inFlight: false, excludedByIngest: true })).toBe(
      "resolved_elsewhere",
    );
  });
});
