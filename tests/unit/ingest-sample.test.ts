import { describe, expect, it } from "vitest";
import { createIngestSample } from "@/db/seed/ingest-sample";
import { classifySubmission, RULES } from "@/lib/ingest/classify";
import { validateRecord } from "@/lib/ingest/validate";

// The sample a source would send (npm run ingest:sample, the ingest benchmark): every record passes
// the contract, and the mix covers the categories DESIGN §9 describes.

describe("the ingest sample", () => {
  const now = new Date("2026-12-01T00:00:00Z");
  const next = createIngestSample({ seed: 7, now });
  // As sent: JSON, one record a line.
  const records = Array.from({ length: 1500 }, () => next())
    .flat()
    .map((r) => JSON.parse(JSON.stringify(r)) as object);

  it("is valid by the contract, every record of it", () => {
    const refused = records.map((r) => validateRecord(r)).filter((v) => !v.ok);
    expect(refused).toEqual([]);
  });

  it("covers every failure rule and the resolved, in-process and needs-a-person ones, with duplicates and evidence", () => {
    const rules = new Set(
      records.map((r) => {
        const v = validateRecord(r);
        if (!v.ok) throw new Error("invalid");
        return classifySubmission(v.value.record, now).rule;
      }),
    );
    for (const rule of Object.keys(RULES)) expect(rules, rule).toContain(rule);
    const keys = records.map((r) => {
      const rec = r as { formType: string; veteran: { fileNumber: string } };
      return `${rec.veteran.fileNumber}/${rec.formType}`;
    });
    const forms526 = keys.filter((k) => k.endsWith("21-526EZ"));
    expect(new Set(forms526).size).toBeLessThan(forms526.length); // the same veteran and form twice
    expect(records.some((r) => (r as { evidence: unknown[] }).evidence.length > 0)).toBe(true);
  });

  it("is the same for the same seed", () => {
    const a = createIngestSample({ seed: 3, now });
    const b = createIngestSample({ seed: 3, now });
    expect(JSON.stringify([a(), a(), a()])).toBe(JSON.stringify([b(), b(), b()]));
  });
});
