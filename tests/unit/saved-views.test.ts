import { describe, expect, it } from "vitest";
import { parseViewColumns, showsColumn } from "@/lib/views/columns";
import { viewHref, viewQuery } from "@/lib/views/saved-view";
import { savedViewInputSchema } from "@/lib/views/saved-view-input";

describe("saved views", () => {
  it("keep the list's filter, sort and page size, never its page or position, through the list's parser", () => {
    expect(viewQuery("state=failed&form=21-526EZ&sort=attempts.desc&size=50&page=7&after=abc&junk=1")).toBe(
      new URLSearchParams(viewQuery("form=21-526EZ&state=failed&size=50&sort=attempts.desc")).toString(),
    );
    expect(viewQuery("page=3&from=2024-13-45")).toBe("");
    expect(viewQuery("state=failed")).toBe("state=failed");
  });

  it("open at their query with their columns, in the table's order", () => {
    expect(viewHref({ query: "state=failed", columns: ["triageState", "formType"] })).toBe(
      "/claims?state=failed&cols=formType%2CtriageState",
    );
    expect(viewHref({ query: "", columns: [] })).toBe("/claims");
  });

  it("read columns from the URL leniently: unknown ids dropped, all or none meaning every column", () => {
    expect(parseViewColumns("batch,nonsense,formType")).toEqual(["formType", "batch"]);
    expect(parseViewColumns("nonsense")).toBeNull();
    expect(parseViewColumns(null)).toBeNull();
    expect(showsColumn(["formType"], "id")).toBe(true);
    expect(showsColumn(["formType"], "batch")).toBe(false);
    expect(showsColumn(null, "batch")).toBe(true);
  });

  it("refuse a nameless view or a column the list does not have", () => {
    const base = { name: "Mine", shared: false, query: "", columns: ["formType"] };
    expect(savedViewInputSchema.safeParse(base).success).toBe(true);
    expect(savedViewInputSchema.safeParse({ ...base, name: "  " }).success).toBe(false);
    expect(savedViewInputSchema.safeParse({ ...base, columns: ["ssn"] }).success).toBe(false);
  });
});
