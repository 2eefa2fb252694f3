import { copyText } from "@/db/copy-rows";
import { normaliseFailureMessage } from "@/db/failure-reason";
import type { IngestClaimRow } from "@/db/queries/ingest-claims";
import { type Category, type Classification, ruleText } from "./classify";
import type { SubmissionRecord } from "./contract";
import type { ValidatedRecord } from "./validate";

// A validated, classified record as the columns of the existing tables (docs/design.md §3): the
// claim, its primary-path row, its evidence references and its ledger row. Pure: ids are filled in
// by the writer once it has drawn them.

export type MappedRecord = Omit<
  IngestClaimRow,
  "stageKey" | "claimId" | "groupId" | "mainClaimId" | "previousParkedReason"
>;

const FAILING_JOB = ["non_retryable_error", "exhausted", "retryable_error", "pdf_not_found"];

// A claim resolved at the source is resolved elsewhere (lib/ingest/reconcile.ts). Those not failed
// there yet, or waiting for a person, are parked as excluded with a reason saying so; ingest lifts
// that exclusion itself when a newer record shows the claim failed.
const PARKED: Record<Exclude<Category, "failed" | "resolved">, string> = {
  needs_person: "Needs a person before any resubmission",
  in_process: "Not failed at the source yet",
};

export function parkedReason(classification: Classification): string | null {
  if (classification.category === "failed" || classification.category === "resolved") return null;
  return `${PARKED[classification.category]}: ${ruleText(classification.rule)} (imported).`;
}

// The claim group's status as the source gives it, or as the classification implies for a 526.
function groupStatus(record: SubmissionRecord, category: Category): IngestClaimRow["groupStatus"] {
  switch (record.claimGroup?.status) {
    case "pending":
      return "pending";
    case "processing":
      return "processing";
    case "accepted":
    case "success":
      return "success";
    case "failure":
      return "failure";
  }
  return category === "failed" ? "failure" : category === "resolved" ? "success" : "pending";
}

const PRIMARY_STATUS: Record<Category, string> = {
  failed: "failure",
  needs_person: "unconfirmed",
  in_process: "in_process",
  resolved: "success",
};

// The record's bulk, kept once: the form on the claim, everything else of the record as received
// (unknown fields too) on the ledger. As the COPY line the chunk's staging sends (ingest-claims.ts,
// stageBodies), keyed by the record's place in the chunk; made of the validated record's JSON, so
// a record is serialised once, not twice (at a million records the second was 6% of the import's
// JavaScript and as much again in garbage).
export function stageLine(key: number, validated: Pick<ValidatedRecord, "formJson" | "restJson" | "escaped">): string {
  const { formJson, restJson, escaped } = validated;
  return escaped ? `${key}\t${copyText(formJson)}\t${copyText(restJson)}\n` : `${key}\t${formJson}\t${restJson}\n`;
}

// When the claim failed at the source: its failing job's time, else its latest backup attempt's, else
// the record's last change. The "group grew" alert counts failures by this time, so a backlog loaded
// today (the first import of a source, the demo seed) is old news, not an hour's growth.
function failedAtOf(record: SubmissionRecord, jobTime: string | undefined, failed: boolean): string | null {
  if (jobTime) return jobTime;
  if (!failed) return null;
  const attempt = [...record.backup.attempts].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)).at(-1);
  return attempt?.updatedAt ?? attempt?.createdAt ?? record.source.updatedAt;
}

export function mapRecord(validated: ValidatedRecord, classification: Classification): MappedRecord {
  const { record, contentSha256 } = validated;
  const failedJob = [...record.primary.jobs]
    .filter((j) => FAILING_JOB.includes(j.status))
    .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt))
    .at(-1);
  const message = failedJob?.errorMessage || failedJob?.errorClass || null;
  const failed = classification.category === "failed";
  const fileNumber = record.veteran.fileNumber.trim();
  return {
    sourceSystem: record.source.system,
    sourceTable: record.source.table,
    sourceId: record.source.id,
    parentSourceId: record.claimGroup?.parentId ?? record.source.id,
    schemaVersion: record.schemaVersion,
    sourceUpdatedAt: record.source.updatedAt,
    contentSha256,
    guid: record.confirmationGuid.toLowerCase(),
    formType: record.formType,
    firstName: record.veteran.firstName,
    lastName: record.veteran.lastName,
    fileNumber,
    fileLast4: Array.from(fileNumber.padStart(4, "0")).slice(-4).join(""), // by character, never half of one
    zipCode: record.veteran.zipCode ?? null,
    email: record.veteran.email || null,
    submittedAt: record.claimDate,
    state: failed ? "never_tried" : classification.category === "resolved" ? "resolved_elsewhere" : "excluded",
    parkedReason: parkedReason(classification),
    blackHole: classification.blackHole,
    notified: classification.notified,
    // The list groups claims by this fingerprint; a failure with no job error is named by its rule.
    failureReason: !failed ? null : message ? normaliseFailureMessage(message) : ruleText(classification.rule),
    groupStatus: groupStatus(record, classification.category),
    category: classification.category,
    rule: classification.rule,
    ruleVersion: classification.version,
    facts: classification.facts,
    reevaluateAt: classification.reevaluateAt?.toISOString() ?? null,
    primary: {
      status: PRIMARY_STATUS[classification.category],
      errorClass: failedJob?.errorClass ?? null,
      errorMessage: failedJob?.errorMessage ?? null,
      failedAt: failedAtOf(record, failedJob?.updatedAt, failed),
      shownAsSuccess: record.primary.shownAsSuccess,
    },
    evidence: record.evidence.map((e) => ({
      sha256: e.sha256,
      fileName: e.fileName,
      contentType: e.contentType,
      byteSize: e.byteSize,
    })),
  };
}
