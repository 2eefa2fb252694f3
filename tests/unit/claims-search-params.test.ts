import { describe, expect, it } from "vitest";
import { formTypeEnum, triageStateEnum } from "@/db/schema/enums";
import {
  claimsSearchToParams,
  parseClaimsFilter,
  parseClaimsSearch,
  writeClaimsFilter,
} from "@/lib/claims/search-params";

// The claims list's URL, read and written by the one set of parsers the server page, the client
// table, the CSV route and the actions share: lenient on the way in, the same on the way back.

describe("URL parsing", () => {
  it("reads the list's URL leniently and writes it back the same", () => {
    const search = parseClaimsSearch({
      form: "21-674,bogus",
      state: "failed,never_tried",
      blackHole: "yes",
      notified: "no",
      reason: "EVSS error",
      batch: "3",
      from: "2022-01-01",
      to: "not-a-date",
      q: "  123 ",
      page: "4",
      size: "50",
      sort: "id.asc",
    });
    expect(search.filter).toEqual({
      formTypes: ["21-674"],
      triageStates: ["failed", "never_tried"],
      blackHole: true,
      failureNotified: false,
      failureReason: "EVSS error",
      batchId: 3,
      submittedFrom: "2022-01-01",
      q: "123",
    });
    expect(search.table).toEqual({ pageIndex: 3, pageSize: 50, sort: { id: "id", desc: false } });
    expect(parseClaimsSearch(claimsSearchToParams(search))).toEqual(search);
    // Only whitelisted sorts and page sizes; everything else falls back to the defaults.
    expect(parseClaimsSearch({ sort: "failureReason.asc", size: "100000", page: "-2" }).table).toEqual({
      pageIndex: 0,
      pageSize: 25,
      sort: { id: "submittedAt", desc: true },
    });
    expect(parseClaimsSearch({ sort: "id;drop" }).table.sort).toEqual({ id: "submittedAt", desc: true });
    // A seek key rides along with its page; on page 1, or malformed, it is dropped.
    const next = parseClaimsSearch({ page: "7", after: "1656633600123456.42" });
    expect(next.table.seek).toEqual({ direction: "after", key: "1656633600123456.42" });
    expect(parseClaimsSearch(claimsSearchToParams(next))).toEqual(next);
    expect(parseClaimsSearch({ page: "2", before: "17" }).table.seek).toEqual({ direction: "before", key: "17" });
    expect(parseClaimsSearch({ page: "1", after: "17" }).table.seek).toBeUndefined();
    expect(parseClaimsSearch({ page: "3", after: "1'; drop table x" }).table.seek).toBeUndefined();
    expect(parseClaimsSearch({ page: "3", after: "x".repeat(65) }).table.seek).toBeUndefined();
    // A new filter starts again at page 1, without the key.
    expect(writeClaimsFilter(claimsSearchToParams(next), { formTypes: ["21-674"] }).toString()).toBe("form=21-674");
    expect(formTypeEnum.enumValues).toContain("21-674");
    expect(triageStateEnum.enumValues).toContain("failed");
  });

  it("reads the veteran-notified filter as yes or no, and drops anything else", () => {
    expect(parseClaimsFilter({ notified: "yes" })).toEqual({ failureNotified: true });
    expect(parseClaimsFilter({ notified: "no" })).toEqual({ failureNotified: false });
    for (const notified of ["", "true", "0", "NO", "yes,no"]) expect(parseClaimsFilter({ notified })).toEqual({});
    expect(writeClaimsFilter(new URLSearchParams("page=3"), { failureNotified: true }).toString()).toBe("notified=yes");
  });
});
