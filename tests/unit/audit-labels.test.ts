import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABEL, actionLabel } from "@/components/audit/labels";

// The labels are a Record over AuditAction, so the compiler holds them to the names recordAudit
// writes; this checks the page shows a label, not the raw name, for each of them.

describe("audit action labels", () => {
  it("label the single-claim actions as recorded (claim.resubmit and claim.unexclude showed raw)", () => {
    expect(actionLabel("claim.resubmit")).toBe("Resubmitted a claim");
    expect(actionLabel("claim.unexclude")).toBe("Brought back excluded claims");
  });

  it("give every action a label of its own, and show a name outside the list as recorded", () => {
    const labels = Object.values(AUDIT_ACTION_LABEL);
    expect(new Set(labels).size).toBe(labels.length);
    for (const [action, label] of Object.entries(AUDIT_ACTION_LABEL)) expect(actionLabel(action)).toBe(label);
    expect(actionLabel("toString")).toBe("toString");
    expect(actionLabel("claim.include")).toBe("claim.include");
  });
});
