import { describe, expect, it } from "vitest";
import { classifySubmission } from "@/lib/ingest/classify";
import { exampleRecord } from "@/lib/ingest/example-record";
import { mapRecord, stageLine } from "@/lib/ingest/map-record";
import { validateRecord } from "@/lib/ingest/validate";

// A classified record as the columns of the claims tables: what the triage list will show.

const NOW = new Date("2024-03-01T12:00:00Z");
type Input = ReturnType<typeof exampleRecord> & Record<string, unknown>;

function mapped(edit: (r: Input) => void = () => {}) {
  const r = structuredClone(exampleRecord()) as Input;
  edit(r);
  const checked = validateRecord(r);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return mapRecord(checked.value, classifySubmission(checked.value.record, NOW));
}

describe("mapRecord", () => {
  it("puts a failed claim on the list with its fingerprint, black hole and primary-path failure", () => {
    const m = mapped();
    expect(m).toMatchObject({
      state: "never_tried",
      parkedReason: null,
      blackHole: true,
      notified: false,
      failureReason: "Gateway timeout: upstream EVSS did not answer within <n>s",
      fileLast4: "3456",
      groupStatus: "failure",
      parentSourceId: "4128803",
      rule: "526.primary_job_exhausted",
      primary: {
        status: "failure",
        errorClass: "Common::Exceptions::GatewayTimeout",
        failedAt: "2022-06-15T02:40:00Z",
        shownAsSuccess: true,
      },
    });
    expect(m.evidence).toEqual([expect.objectContaining({ fileName: "private-medical-record.pdf" })]);
  });

  it("stages the form for the claim and the rest of the record, unknown fields too, for the ledger", () => {
    // A quote and a backslash: escaped in the JSON, the escapes' backslashes doubled in the COPY line.
    const raw = { ...structuredClone(exampleRecord()), sourceNote: 'kept "as is" \\ here' } as Record<string, unknown>;
    const checked = validateRecord(raw);
    if (!checked.ok) throw new Error("the example record is valid");
    const line = stageLine(7, checked.value);
    expect(line.endsWith("\n")).toBe(true);
    const [key, formData, record] = line
      .slice(0, -1)
      .split("\t")
      .map((field) => field.replaceAll("\\\\", "\\"));
    expect(key).toBe("7");
    expect(JSON.parse(formData)).toEqual(exampleRecord().formData);
    const { formData: _form, ...rest } = raw;
    expect(JSON.parse(record)).toEqual(rest);
    expect(JSON.parse(record).sourceNote).toBe('kept "as is" \\ here');
  });

  it("doubles backslashes in both fields when only one holds one, and sends a record without any as it is", () => {
    const raw = structuredClone(exampleRecord()) as Record<string, unknown>;
    (raw.formData as Record<string, unknown>).remarks = "C:\\claims";
    const escaped = validateRecord(raw);
    if (!escaped.ok) throw new Error("valid");
    const [, formData, record] = stageLine(1, escaped.value).slice(0, -1).split("\t");
    expect(formData).toBe(escaped.value.formJson.replaceAll("\\", "\\\\"));
    expect(JSON.parse(formData.replaceAll("\\\\", "\\")).remarks).toBe("C:\\claims");
    expect(record).toBe(escaped.value.restJson.replaceAll("\\", "\\\\"));

    const plain = validateRecord(structuredClone(exampleRecord()));
    if (!plain.ok) throw new Error("valid");
    expect(plain.value.escaped).toBe(false);
    expect(stageLine(2, plain.value)).toBe(`2\t${plain.value.formJson}\t${plain.value.restJson}\n`);
  });

  it("cuts the form out of the record's JSON with unknown fields before and after it", () => {
    for (const extra of [{}, { a: 1 }, { zz: [1, { b: "x" }] }]) {
      const checked = validateRecord({ ...structuredClone(exampleRecord()), ...extra });
      if (!checked.ok) throw new Error("valid");
      expect(JSON.parse(checked.value.formJson)).toEqual(exampleRecord().formData);
      const { formData: _form, ...rest } = { ...structuredClone(exampleRecord()), ...extra };
      expect(JSON.parse(checked.value.restJson)).toEqual(rest);
    }
  });

  it("names a failure with no job error by its rule", () => {
    expect(mapped((r) => (r.primary.jobs = [])).failureReason).toBe("no path accepted the claim in 3 weeks");
  });

  it("dates a failure with no failing job by the latest backup attempt, else by the record's last change", () => {
    const attempted = mapped((r) => {
      r.primary.jobs = [];
      r.backup.attempts = [
        {
          benefitsIntakeUuid: "0f0e2c7a-7b43-4f47-9a44-8cf1b0d1e001",
          status: "error",
          createdAt: "2022-07-01T00:00:00Z",
        },
        {
          benefitsIntakeUuid: "0f0e2c7a-7b43-4f47-9a44-8cf1b0d1e002",
          status: "rejected",
          createdAt: "2022-08-01T00:00:00Z",
          updatedAt: "2022-08-03T00:00:00Z",
        },
      ] as never;
    });
    expect(attempted.primary.failedAt).toBe("2022-08-03T00:00:00Z");
    const bare = mapped((r) => {
      r.primary.jobs = [];
      r.source.updatedAt = "2022-09-09T09:09:09Z";
    });
    expect(bare.primary.failedAt).toBe("2022-09-09T09:09:09Z");
    const resolved = mapped((r) => {
      r.primary.jobs = [];
      r.primary.claimId = "600123456" as never;
    });
    expect(resolved.primary.failedAt).toBeNull();
  });

  it("puts a claim resolved at the source off the list as resolved elsewhere, and parks one not failed yet, saying why, in words ingest recognises as its own", () => {
    const resolved = mapped((r) => {
      r.primary.claimId = "600123456" as never;
    });
    expect(resolved).toMatchObject({
      state: "resolved_elsewhere",
      parkedReason: null,
      rule: "526.accepted_primary",
      failureReason: null,
      groupStatus: "success",
      primary: { status: "success" },
    });
    const person = mapped((r) => {
      r.primary.endpoint = "claims_api";
      r.primary.claimId = "600123456" as never;
    });
    expect(person.parkedReason).toMatch(/^Needs a person before any resubmission: .*\(imported\)\.$/);
  });

  it("takes a dependents group's status from the source", () => {
    const m = mapped((r) => {
      r.formType = "21-674";
      r.claimGroup = { parentId: "77", status: "processing" } as never;
    });
    expect(m).toMatchObject({ parentSourceId: "77", groupStatus: "processing" });
  });
});
