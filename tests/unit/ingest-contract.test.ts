import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ingestJsonSchema, LIMITS, SCHEMA_VERSION } from "@/lib/ingest/contract";
import { exampleRecord } from "@/lib/ingest/example-record";
import { canonicalJson, type Problem, validateRecord } from "@/lib/ingest/validate";

// The ingest contract: the worked example passes, unknown fields are kept, and every hostile value
// is refused with its path and reason (all of them at once), before anything could be written.

type Json = Record<string, unknown>;
const clone = (): Json => structuredClone(exampleRecord());
const problemsOf = (value: unknown): Problem[] => {
  const result = validateRecord(value);
  if (result.ok) throw new Error("expected a refusal");
  return result.problems;
};
const paths = (value: unknown) => problemsOf(value).map((p) => p.path);

describe("a valid record", () => {
  it("passes, with defaults filled in", () => {
    const result = validateRecord(clone());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.record.schemaVersion).toBe(SCHEMA_VERSION);
    expect(result.value.record.remediations).toEqual([]);
    expect(result.value.contentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps fields the contract does not know, at any depth, in the record as stored and the parsed one", () => {
    const record = clone();
    record.vetsApiOnly = { flag: true };
    (record.veteran as Json).preferredName = "Al";
    const result = validateRecord(record);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const stored = JSON.parse(result.value.restJson);
    expect(stored.vetsApiOnly).toEqual({ flag: true });
    expect(stored.veteran.preferredName).toBe("Al");
    expect((result.value.record as Json).vetsApiOnly).toEqual({ flag: true });
    expect((result.value.record.veteran as Json).preferredName).toBe("Al");
  });

  it("hashes the same whatever the order of its fields", () => {
    const a = clone();
    const b = Object.fromEntries(Object.entries(clone()).reverse());
    const hash = (r: unknown) => (validateRecord(r) as { value: { contentSha256: string } }).value.contentSha256;
    expect(hash(a)).toBe(hash(b));
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it("writes every object's fields in the order sort() gives them, short objects and long ones alike", () => {
    // Integer-like names (which JavaScript lists first, by number), capitals, accents, a surrogate
    // pair, and names that are prefixes of others: sorted by UTF-16 unit, as Array.prototype.sort does.
    const names = ["10", "9", "a", "B", "é", "ab", "a0", "_", "Z", "\u{1F600}", "", "1", "01", "aa", "A"];
    for (const count of [2, 5, names.length, 47, 48, 49, 120]) {
      const keys = Array.from({ length: count }, (_, i) => names[i % names.length] + (i >= names.length ? i : ""));
      const half = Math.floor(count / 2);
      const shuffled = [...keys.slice(half).reverse(), ...keys.slice(0, half)];
      const value = Object.fromEntries(shuffled.map((k, i) => [k, i]));
      const expected = `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${value[k]}`)
        .join(",")}}`;
      expect(canonicalJson(value)).toBe(expected);
      expect(canonicalJson({ nested: [value] })).toBe(`{"nested":[${expected}]}`);
    }
  });
});

describe("a refused record", () => {
  it("is not an object", () => {
    for (const value of [null, 5, "x", [clone()]]) expect(paths(value)).toEqual(["(record)"]);
  });

  it("lists every wrong type with its path", () => {
    const record = clone();
    record.schemaVersion = 2;
    (record.source as Json).id = 4128803;
    record.claimDate = "yesterday";
    (record.veteran as Json).firstName = ["Alex"];
    record.evidence = "none";
    ((record.primary as Json).jobs as Json[])[0].status = "on_fire";
    expect(paths(record)).toEqual(
      expect.arrayContaining([
        "schemaVersion",
        "source.id",
        "claimDate",
        "veteran.firstName",
        "evidence",
        "primary.jobs[0].status",
      ]),
    );
  });

  it("has an unknown form type", () => {
    const record = clone();
    record.formType = "21-0781";
    expect(problemsOf(record)).toEqual([expect.objectContaining({ path: "formType" })]);
  });

  it("holds a 10 MB string, in a known field or an unknown one", () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const record = clone();
    (record.veteran as Json).lastName = huge;
    (record.formData as Json).remarks = huge;
    record.extra = { note: huge };
    const problems = problemsOf(record);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(["veteran.lastName", "formData.remarks", "extra.note"]),
    );
    expect(problems.find((p) => p.path === "extra.note")?.message).toMatch(/longer than 100,000/);
  });

  it("is larger than 1 MiB in total, though each string is within bounds", () => {
    const record = clone();
    record.formData = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`page${i}`, "y".repeat(99_000)]));
    expect(problemsOf(record)).toEqual([
      expect.objectContaining({ path: "(record)", message: expect.stringMatching(/over the 1,048,576 allowed/) }),
    ]);
  });

  it("is larger than 1 MiB in UTF-8 though shorter in characters, and one just under is not", () => {
    const record = clone();
    record.formData = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`page${i}`, "€".repeat(99_000)]));
    expect(problemsOf(record)).toEqual([
      expect.objectContaining({ path: "(record)", message: expect.stringMatching(/over the 1,048,576 allowed/) }),
    ]);
    record.formData = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`page${i}`, "€".repeat(99_000)]));
    expect(validateRecord(record).ok).toBe(true);
  });

  it("holds a NUL byte or a broken surrogate, in a value or a field name", () => {
    const record = clone();
    (record.veteran as Json).firstName = "Al\u0000ex";
    (record.formData as Json)["bad\u0000key"] = 1;
    (record.formData as Json).remarks = "half \ud800 a pair";
    const problems = problemsOf(record);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: "veteran.firstName", message: "contains a NUL character" },
        { path: "formData.remarks", message: "contains an unpaired UTF-16 surrogate" },
        expect.objectContaining({ message: "field name contains a NUL character" }),
      ]),
    );
  });

  it("nests too deep, or holds too long a list, without the schema recursing into it", () => {
    const record = clone();
    let deep: Json = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) {
      const next: Json = {};
      deep.x = next;
      deep = next;
    }
    (record.formData as Json).deep = root;
    (record.formData as Json).many = Array.from({ length: LIMITS.array + 1 }, () => 0);
    const messages = problemsOf(record).map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([`nested deeper than ${LIMITS.depth} levels`, "list longer than 1,000 items"]),
    );
  });

  it("caps the list of problems", () => {
    const record = clone();
    record.formData = { items: Array.from({ length: 500 }, () => "\u0000") };
    const problems = problemsOf(record);
    expect(problems.length).toBeLessThanOrEqual(52);
    expect(problems.at(-1)?.message).toMatch(/more problems not listed/);
  });

  it("puts a 686c in someone else's group", () => {
    const record = clone();
    record.formType = "21-686C";
    record.claimGroup = { parentId: "another" };
    expect(paths(record)).toEqual(["claimGroup.parentId"]);
  });
});

describe("the published JSON Schema", () => {
  it("is generated from the zod schema, with its bounds", () => {
    const schema = ingestJsonSchema() as {
      properties: Record<string, { properties?: Record<string, { maxLength?: number }>; enum?: string[] }>;
      required: string[];
      additionalProperties: unknown;
    };
    expect(schema.required).toEqual(
      expect.arrayContaining(["schemaVersion", "source", "formType", "confirmationGuid", "veteran", "formData"]),
    );
    expect(schema.properties.formType.enum).toEqual(["21-526EZ", "21-686C", "21-674"]);
    expect(schema.properties.veteran.properties?.lastName.maxLength).toBe(100);
    expect(schema.additionalProperties).toEqual({});
  });
});

describe("docs/ingest.md", () => {
  it("shows the worked example the tests start from, and it is valid", () => {
    const doc = readFileSync("docs/ingest.md", "utf8");
    const example = /#### Worked example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(JSON.parse(example ?? "null")).toEqual(exampleRecord());
    expect(validateRecord(exampleRecord()).ok).toBe(true);
  });

  it("keeps a copy of the generated JSON Schema (npm run ingest -- --schema > docs/ingest-schema.json)", () => {
    expect(JSON.parse(readFileSync("docs/ingest-schema.json", "utf8"))).toEqual(ingestJsonSchema());
  });
});
