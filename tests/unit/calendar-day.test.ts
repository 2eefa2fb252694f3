import { describe, expect, it } from "vitest";
import { isCalendarDay } from "@/lib/calendar-day";

describe("isCalendarDay", () => {
  it("takes real days a filter can bound a query with", () => {
    for (const day of ["2024-02-29", "1900-01-01", "2999-12-31", "2022-11-24"]) expect(isCalendarDay(day)).toBe(true);
  });
  it("refuses days that roll over, years PostgreSQL cannot bound, and anything not YYYY-MM-DD", () => {
    for (const day of [
      "2022-02-30",
      "2023-02-29",
      "0000-01-01",
      "9999-12-31",
      "2022-13-01",
      "2022-1-1",
      "yesterday",
      "2022-01-01T00:00",
      "",
    ])
      expect(isCalendarDay(day)).toBe(false);
  });
});
