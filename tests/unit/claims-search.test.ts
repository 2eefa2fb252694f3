import { describe, expect, it } from "vitest";
import { classifySearch } from "@/db/queries/claims-search";

// What the search box takes a query for, before any SQL: who may search what is decided here.

describe("classifySearch", () => {
  const uuid = "0F8FAD5B-D9CB-469F-A165-70867728950E";

  it("takes ids and uuids for everyone, names and file numbers only for PII-cleared users", () => {
    expect(classifySearch(" #1234 ", false)).toEqual([{ kind: "claimId", value: "1234" }]);
    expect(classifySearch("1234", true)).toEqual([
      { kind: "claimId", value: "1234" },
      { kind: "last4", value: "1234" },
    ]);
    expect(classifySearch(uuid, false)).toEqual([{ kind: "uuid", value: uuid.toLowerCase() }]);
    expect(classifySearch("796043152", true)).toEqual([
      { kind: "claimId", value: "796043152" },
      { kind: "fileNumber", value: "796043152" },
    ]);
    expect(classifySearch("796043152", false)).toEqual([{ kind: "claimId", value: "796043152" }]);
    expect(classifySearch("O'Brien", true)).toEqual([{ kind: "lastName", value: "o'brien" }]);
    expect(classifySearch("O'Brien", false)).toEqual([{ kind: "none", value: "O'Brien" }]);
  });

  it("reads a leading zero as the end of a file number, never as a claim id", () => {
    expect(classifySearch("0042", true)).toEqual([{ kind: "last4", value: "0042" }]);
    expect(classifySearch("0042", false)).toEqual([{ kind: "none", value: "0042" }]);
  });

  it("matches nothing for text no column can hold: NUL bytes, over-long numbers and names, symbols", () => {
    expect(classifySearch("   ", true)).toEqual([]);
    for (const q of ["smith\u0000", "\u0000", "1".repeat(16), "x".repeat(101), "%", "-1"])
      expect(classifySearch(q, true).map((s) => s.kind)).toEqual(["none"]);
    // SQL-looking text with letters is a last name like any other: a bound value that matches no one.
    expect(classifySearch("'; DROP table x; --", true)).toEqual([{ kind: "lastName", value: "'; drop table x; --" }]);
  });
});

describe("classifySearch: names and e-mails", () => {
  it("takes a full name either way round, and an e-mail, only for PII-cleared users", () => {
    expect(classifySearch("Maria Núñez-Test", true)).toEqual([
      { kind: "lastName", value: "maria núñez-test" },
      { kind: "fullName", value: "maria núñez-test" },
    ]);
    expect(classifySearch("Núñez-Test,  Maria José", true)).toEqual([
      { kind: "lastName", value: "núñez-test,  maria josé" },
      { kind: "fullName", value: "maria josé núñez-test" },
    ]);
    expect(classifySearch("Maria Núñez-Test", false)).toEqual([{ kind: "none", value: "Maria Núñez-Test" }]);
    expect(classifySearch(" Vet.One@Example.com ", true)).toEqual([{ kind: "email", value: "vet.one@example.com" }]);
    expect(classifySearch("vet.one@example.com", false)).toEqual([{ kind: "none", value: "vet.one@example.com" }]);
  });
});
