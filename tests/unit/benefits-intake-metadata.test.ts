import { describe, expect, it } from "vitest";
import {
  buildMetadata,
  type ClaimForMetadata,
  normaliseBusinessLine,
  normaliseFileNumber,
  normaliseName,
  normaliseZipCode,
  validateMetadata,
} from "@/lib/benefits-intake/metadata";

const claim = (overrides: Partial<ClaimForMetadata> = {}): ClaimForMetadata => ({
  veteranFirstName: "Jane",
  veteranLastName: "Doe",
  fileNumber: "123456789",
  zipCode: "97202",
  formType: "21-686C",
  submittedAt: new Date("2022-06-14T15:12:00Z"),
  ...overrides,
});

const validMetadata = () => ({
  veteranFirstName: "Jane",
  veteranLastName: "Doe",
  fileNumber: "123456789",
  zipCode: "97202",
  source: "va.gov backup submission",
  docType: "21-686C",
  businessLine: "CMP",
  claimDate: "2022-06-14T15:12:00.000Z",
});

describe("normaliseName", () => {
  it.each([
    ["José", "Jose"],
    ["Zoë", "Zoe"],
    ["Françoise", "Francoise"],
    ["Łukasz", "Lukasz"],
    ["Groß", "Gross"],
    ["Ærøskøbing", "AEroskobing"],
    ["O'Brien", "OBrien"],
    ["Mary-Jane", "Mary-Jane"],
    ["Jean–Luc", "Jean-Luc"], // en dash becomes a hyphen
    ["Smith Jr.", "Smith Jr"],
    ["Van Der/Berg", "Van Der/Berg"],
    ["  Anne \t  Marie  ", "Anne Marie"],
    ["R2-D2", "R-D"],
    ["李小龍", ""],
    ["A".repeat(60), "A".repeat(50)],
    [`${"B".repeat(49)} C`, "B".repeat(49)], // cut at 50, trailing space trimmed
  ])("%j becomes %j", (input, expected) => {
    expect(normaliseName(input)).toBe(expected);
  });
});

describe("normaliseZipCode", () => {
  it.each([
    ["97202", "97202"],
    [" 97202 ", "97202"],
    ["972021234", "97202-1234"],
    ["97202-1234", "97202-1234"],
    ["9720", "00000"],
    ["9720212", "00000"],
    ["K1A 0B1", "00000"],
    ["", "00000"],
    [null, "00000"],
  ])("%j becomes %j", (input, expected) => {
    expect(normaliseZipCode(input)).toBe(expected);
  });
});

describe("normaliseFileNumber and normaliseBusinessLine", () => {
  it.each([
    ["123-45-6789", "123456789"],
    ["12 345 678", "12345678"],
    ["C12345678", "12345678"],
  ])("file number %j becomes %j", (input, expected) => {
    expect(normaliseFileNumber(input)).toBe(expected);
  });

  it.each([
    [undefined, "CMP"],
    ["pmc", "PMC"],
    [" EDU ", "EDU"],
    ["XYZ", "OTH"],
    ["", "OTH"],
  ])("business line %j becomes %j", (input, expected) => {
    expect(normaliseBusinessLine(input)).toBe(expected);
  });
});

describe("buildMetadata", () => {
  it("builds the metadata Benefits Intake expects from a claim", () => {
    const result = buildMetadata(claim({ veteranFirstName: "José", zipCode: "97202-1234", fileNumber: "123-45-6789" }));
    expect(result).toEqual({
      ok: true,
      metadata: {
        veteranFirstName: "Jose",
        veteranLastName: "Doe",
        fileNumber: "123456789",
        zipCode: "97202-1234",
        source: "va.gov backup submission",
        docType: "21-686C",
        businessLine: "CMP",
        claimDate: "2022-06-14T15:12:00.000Z",
      },
    });
  });

  it.each([
    ["a foreign address", { zipCode: "SW1A 1AA" }, "zipCode", "00000"],
    ["no address", { zipCode: null }, "zipCode", "00000"],
    ["an 8-digit file number", { fileNumber: "12345678" }, "fileNumber", "12345678"],
    ["an unknown business line", { businessLine: "ZZZ" }, "businessLine", "OTH"],
    ["a 526", { formType: "21-526EZ" as const }, "docType", "21-526EZ"],
  ])("accepts %s", (_label, overrides, field, expected) => {
    const result = buildMetadata(claim(overrides));
    expect(result.ok).toBe(true);
    expect(result.metadata[field as keyof typeof result.metadata]).toBe(expected);
  });

  it.each([
    [
      "a last name with no Latin letters",
      { veteranLastName: "李" },
      ["veteran last name is empty after removing characters Benefits Intake rejects"],
    ],
    [
      "a first name of punctuation only",
      { veteranFirstName: "'.'" },
      ["veteran first name is empty after removing characters Benefits Intake rejects"],
    ],
    ["an empty first name", { veteranFirstName: "  " }, ["veteran first name is empty"]],
    ["a 7-digit file number", { fileNumber: "1234567" }, ["file number must be 8 or 9 digits (has 7)"]],
    ["a 10-digit file number", { fileNumber: "1234567890" }, ["file number must be 8 or 9 digits (has 10)"]],
    ["a missing file number", { fileNumber: "" }, ["file number must be 8 or 9 digits (has 0)"]],
    ["an invalid claim date", { submittedAt: new Date("nope") }, ["claim date must be an ISO 8601 date"]],
    [
      "several problems at once",
      { veteranLastName: "", fileNumber: "12" },
      ["veteran last name is empty", "file number must be 8 or 9 digits (has 2)"],
    ],
  ])("flags %s", (_label, overrides, problems) => {
    const result = buildMetadata(claim(overrides));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(problems);
    // The metadata is still returned so the attempt can record what would have been sent.
    expect(result.metadata.source).toBe("va.gov backup submission");
  });
});

describe("validateMetadata (Benefits Intake's rules, shared with the local service)", () => {
  it("accepts valid metadata, with or without a business line", () => {
    expect(validateMetadata(validMetadata())).toEqual([]);
    const { businessLine: _omit, ...withoutBusinessLine } = validMetadata();
    expect(validateMetadata(withoutBusinessLine)).toEqual([]);
    expect(validateMetadata({ ...validMetadata(), zipCode: "00000", fileNumber: "12345678" })).toEqual([]);
  });

  it.each([
    ["not an object", "hello", ["metadata must be a JSON object"]],
    ["an array", [], ["metadata must be a JSON object"]],
    [
      "a name with digits",
      { veteranFirstName: "Jane2" },
      [expect.stringMatching(/^veteran first name has characters Benefits Intake rejects/)],
    ],
    ["a name with an accent", { veteranLastName: "Doé" }, [expect.stringMatching(/^veteran last name has characters/)]],
    [
      "a name over 50",
      { veteranLastName: "D".repeat(51) },
      ["veteran last name is longer than 50 characters (has 51)"],
    ],
    ["a missing first name", { veteranFirstName: undefined }, ["veteran first name is missing"]],
    ["a numeric file number", { fileNumber: 123456789 }, ["file number must be text"]],
    ["a file number with dashes", { fileNumber: "123-45-678" }, ["file number must contain digits only"]],
    ["a 4-digit zip", { zipCode: "1234" }, [expect.stringMatching(/^zip code must be 12345 or 12345-6789/)]],
    ["a zip+4 without a dash", { zipCode: "972021234" }, [expect.stringMatching(/^zip code must be/)]],
    ["a missing zip", { zipCode: undefined }, ["zip code is missing"]],
    ["an empty source", { source: "" }, ["source is empty"]],
    ["a missing doc type", { docType: undefined }, ["doc type is missing"]],
    [
      "an unknown business line",
      { businessLine: "XYZ" },
      [expect.stringMatching(/^business line "XYZ" is not one of CMP, PMC/)],
    ],
    ["a date that is not ISO", { claimDate: "June 14, 2022" }, ["claim date must be an ISO 8601 date"]],
  ])("rejects %s", (_label, patch, problems) => {
    const input = typeof patch === "object" && !Array.isArray(patch) ? { ...validMetadata(), ...patch } : patch;
    expect(validateMetadata(input)).toEqual(problems);
  });

  it("never puts the rejected value itself in a problem (no PII in messages)", () => {
    const problems = validateMetadata({ ...validMetadata(), veteranLastName: "Doe123", fileNumber: "987-65-4321" });
    expect(problems).toHaveLength(2);
    for (const problem of problems) {
      expect(problem).not.toContain("Doe123");
      expect(problem).not.toContain("987");
    }
  });
});
