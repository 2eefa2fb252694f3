import { describe, expect, it } from "vitest";
import { parseClaimsSearch } from "@/lib/claims/search-params";
import { claimsUrlProblems, swappedDatesParams } from "@/lib/claims/url-problems";

// A value the list's lenient parsers leave out is named on the page, with its parameter.

const problemsOf = (params: Record<string, string>) => claimsUrlProblems(params, parseClaimsSearch(params));

describe("claimsUrlProblems", () => {
  it("names a date it could not read, and which parameter held it", () => {
    const [problem, ...rest] = problemsOf({ from: "2024-13-45", to: "2024-02-01" });
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ param: "from", value: "2024-13-45" });
    expect(problem.message).toBe(
      "“2024-13-45” in Submitted from (from=) is not a date this list understands (use YYYY-MM-DD), so it was ignored.",
    );
  });

  it("explains a from date after the to date, and offers them the other way round", () => {
    const params = { from: "2024-05-01", to: "2024-04-01", page: "3" };
    const [problem] = problemsOf(params);
    expect(problem.message).toMatch(/Submitted from \(2024-05-01\) is after submitted to \(2024-04-01\)/);
    expect(swappedDatesParams(params).toString()).toBe("from=2024-04-01&to=2024-05-01");
  });

  it("names unknown options, sorts, sizes and pages; a clean link has none", () => {
    const messages = problemsOf({
      form: "21-674,bogus",
      state: "lost",
      blackHole: "maybe",
      batch: "abc",
      sort: "name.asc",
      size: "7",
      page: "x",
    }).map((p) => `${p.param}=${p.value}`);
    expect(messages).toEqual([
      "form=bogus",
      "state=lost",
      "blackHole=maybe",
      "batch=abc",
      "sort=name.asc",
      "size=7",
      "page=x",
    ]);
    expect(
      problemsOf({ form: "21-674", state: "failed,never_tried", from: "2024-01-01", page: "2", size: "50" }),
    ).toEqual([]);
  });
});
