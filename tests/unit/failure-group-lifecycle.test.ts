import { describe, expect, it } from "vitest";
import { ignoreCondition, reopenReason } from "@/lib/failure-groups/lifecycle";

const changed = new Date("2026-11-20T10:00:00Z");
const now = new Date("2026-12-01T10:00:00Z");
const state = (over: Partial<Parameters<typeof reopenReason>[0]>) => ({
  status: "resolved",
  statusChangedAt: changed,
  ignoreUntilAt: null,
  ignoreUntilCount: null,
  ...over,
});

describe("the failure group reopen rule", () => {
  it("reopens a resolved group on its first new failure, and says so", () => {
    expect(reopenReason(state({}), 0, now)).toBeNull();
    expect(reopenReason(state({}), 1, now)).toBe("Reopened: 1 new failure since it was resolved on November 20, 2026.");
  });

  it("never reopens an open or investigating group", () => {
    expect(reopenReason(state({ status: "open" }), 5, now)).toBeNull();
    expect(reopenReason(state({ status: "investigating" }), 5, now)).toBeNull();
  });

  it("reopens an ignored group when its day has come, or its count of new failures is reached", () => {
    const untilDay = state({ status: "ignored", ignoreUntilAt: new Date("2026-12-01T00:00:00Z") });
    expect(reopenReason(untilDay, 0, now)).toBe("Reopened: it was ignored until December 1, 2026.");
    expect(reopenReason({ ...untilDay, ignoreUntilAt: new Date("2026-12-02T00:00:00Z") }, 99, now)).toBeNull();
    const untilCount = state({ status: "ignored", ignoreUntilCount: 3 });
    expect(reopenReason(untilCount, 2, now)).toBeNull();
    expect(reopenReason(untilCount, 3, now)).toBe(
      "Reopened: 3 new failures since it was ignored (until 3 more failures).",
    );
    expect(reopenReason(state({ status: "ignored" }), 1000, now)).toBeNull();
  });

  it("describes the ignore condition", () => {
    expect(ignoreCondition({ ignoreUntilAt: null, ignoreUntilCount: 1 })).toBe("until 1 more failure");
    expect(ignoreCondition({ ignoreUntilAt: new Date("2027-01-05T00:00:00Z"), ignoreUntilCount: null })).toBe(
      "until January 5, 2027",
    );
    expect(ignoreCondition({ ignoreUntilAt: null, ignoreUntilCount: null })).toBe("for good");
  });
});
