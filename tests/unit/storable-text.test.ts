import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isStorableText } from "@/db/storable-text";
import { claimsFilterSchema } from "@/lib/claims/filters";
import { actionReasonSchema } from "@/lib/claims/reason";
import { storableText } from "@/lib/storable-text";

// One NUL-byte guard: the database side says whether text can be stored, the zod side refuses it
// with a message naming the field, and the schemas that take text from people use it.

describe("storable text", () => {
  it("refuses a NUL byte anywhere, and nothing else", () => {
    expect(isStorableText("TICKET-7 ✓ ‮")).toBe(true);
    for (const text of ["\u0000", "a\u0000", "\u0000a"]) expect(isStorableText(text)).toBe(false);
    const name = storableText(z.string().min(1), "The name");
    expect(name.safeParse("list").success).toBe(true);
    expect(name.safeParse("list\u0000").error?.issues[0].message).toBe("The name cannot contain a NUL character.");
  });

  it("guards the reasons and the filter's free text", () => {
    expect(actionReasonSchema.safeParse("TICKET\u00007").error?.issues[0].message).toMatch(/NUL character/);
    expect(claimsFilterSchema.safeParse({ q: "smith\u0000" }).error?.issues[0].message).toMatch(/search.*NUL/);
    expect(claimsFilterSchema.safeParse({ failureReason: "x\u0000" }).error?.issues[0].message).toMatch(/NUL/);
    expect(claimsFilterSchema.safeParse({ q: "smith", failureReason: "EVSS error" }).success).toBe(true);
  });
});
