import { describe, expect, it } from "vitest";
import { describeFilter } from "@/lib/claims/describe-filter";

// A filter in words, as batch names, the confirmation dialog and the audit log show it.

describe("describeFilter", () => {
  it("names every filter in the triage team's words, in a fixed order", () => {
    expect(
      describeFilter({
        formTypes: ["21-526EZ", "21-674"],
        triageStates: ["failed", "never_tried"],
        blackHole: true,
        failureNotified: false,
        failureReason: "EVSS error",
        batchId: 7,
        submittedFrom: "2022-01-01",
        submittedTo: "2022-03-31",
        q: "1234",
      }),
    ).toBe(
      "form 21-526EZ or 21-674, state failed — needs a person or never tried, in the black hole, " +
        "veteran never told, reason “EVSS error”, batch #7, submitted 2022-01-01 to 2022-03-31, search text (not shown)",
    );
  });

  it("says each side of the yes/no filters and of an open date range", () => {
    expect(describeFilter({ blackHole: false, failureNotified: true })).toBe(
      "not in the black hole, veteran told of the failure",
    );
    expect(describeFilter({ submittedFrom: "2022-01-01" })).toBe("submitted from 2022-01-01");
    expect(describeFilter({ submittedTo: "2022-01-31" })).toBe("submitted up to 2022-01-31");
  });

  it("never repeats the search text, which is a last name or a file number", () => {
    for (const q of ["Testperson", "123456789", "flow-test-1@example.com"]) {
      const described = describeFilter({ triageStates: ["failed"], q });
      expect(described).toBe("state failed — needs a person, search text (not shown)");
      expect(described).not.toContain(q);
    }
  });

  it("shortens a long reason and says so when there is no filter at all", () => {
    const described = describeFilter({ failureReason: "x".repeat(100) });
    expect(described).toBe(`reason “${"x".repeat(57)}…”`);
    expect(describeFilter({})).toBe("no filter (every claim)");
  });
});
