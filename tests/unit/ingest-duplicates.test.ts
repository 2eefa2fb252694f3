import { describe, expect, it } from "vitest";
import type { IngestClaimRow } from "@/db/queries/ingest-claims";
import { duplicatesAmong } from "@/lib/ingest/plan-writes";

// The duplicate rule among a chunk's new claims, as they are written at once (the rule in
// db/queries/ingest-groups.ts stays the one that decides; ingest-claims.test.ts holds it to that).

let nextId = 100;
function row(edit: Partial<IngestClaimRow> = {}): IngestClaimRow {
  const claimId = edit.claimId ?? nextId++;
  return {
    claimId,
    mainClaimId: claimId,
    fileNumber: "000123456",
    lastName: "Sampleton",
    formType: "21-526EZ",
    state: "never_tried",
    submittedAt: "2022-03-01T10:00:00.000Z",
    ...edit,
  } as IngestClaimRow;
}

describe("duplicatesAmong", () => {
  it("makes the older of one veteran's two claims of one form the newer one's duplicate", () => {
    const older = row({ submittedAt: "2022-01-05T10:00:00.000Z" });
    const newer = row({ submittedAt: "2022-02-20T10:00:00.000Z", lastName: "SAMPLETON" });
    expect(duplicatesAmong([newer, older])).toEqual(new Map([[older.claimId, newer.claimId]]));
  });

  it("keeps the higher claim id when two were submitted at the same time", () => {
    const a = row({ claimId: 7 });
    const b = row({ claimId: 8 });
    expect(duplicatesAmong([b, a])).toEqual(new Map([[7, 8]]));
  });

  it("never makes a claim of one form the duplicate of another form's, nor of another veteran's", () => {
    const disability = row({ submittedAt: "2022-01-05T10:00:00.000Z" });
    const dependents = row({ formType: "21-686C" });
    const otherFile = row({ fileNumber: "000123457" });
    const otherName = row({ lastName: "Demoford" });
    expect(duplicatesAmong([disability, dependents, otherFile, otherName])).toEqual(new Map());
  });

  it("leaves out children, excluded claims, and keeps a claim resolved elsewhere as the one that stands", () => {
    const parent = row({ formType: "21-686C", submittedAt: "2022-01-05T10:00:00.000Z" });
    const child = row({ formType: "21-686C", mainClaimId: parent.claimId });
    const excluded = row({ state: "excluded", submittedAt: "2022-06-01T10:00:00.000Z" });
    const resolved = row({ state: "resolved_elsewhere", submittedAt: "2022-05-01T10:00:00.000Z" });
    const older = row({ submittedAt: "2022-04-01T10:00:00.000Z" });
    expect(duplicatesAmong([parent, child, excluded, resolved, older])).toEqual(
      new Map([[older.claimId, resolved.claimId]]),
    );
  });
});
