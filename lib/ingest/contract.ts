import { z } from "zod";
import { formTypeEnum } from "@/db/schema/enums";

// The ingest contract, version 1 (docs/ingest.md): one record per submission the system of record
// (vets-api) holds, carrying what docs/design.md §9 says Claim Triage needs of it. This zod schema is
// the one definition: the API validates with it, and GET /api/ingest/schema publishes the JSON Schema
// generated from it. Objects are loose: a field this version does not know is kept (the raw record
// is stored), never a reason to refuse. Bounds on every string and list are part of the contract;
// lib/ingest/validate.ts adds the ones JSON Schema cannot say (NUL bytes, nesting, record size).

export const SCHEMA_VERSION = 1;

export const LIMITS = {
  recordBytes: 1_048_576, // one record's JSON, UTF-8
  string: 100_000, // any string anywhere in a record, form data and unknown fields included
  array: 1_000, // any array anywhere in a record
  objectKeys: 1_000,
  keyLength: 200,
  depth: 32,
  evidenceFiles: 100,
  fileBytes: 100 * 1024 * 1024, // Benefits Intake's own limit per PDF
  jobs: 200,
  backupAttempts: 100,
  remediations: 100,
  notices: 100,
} as const;

export const JOB_STATUSES = [
  "try",
  "success",
  "retryable_error",
  "pdf_not_found",
  "non_retryable_error",
  "exhausted",
  "pending",
] as const;

// The 526's backup_submitted_claim_status (accepted, rejected, paranoid_success) and the dependents'
// Benefits Intake attempt states (pending, submitted, failure, vbms, manually), plus the Benefits
// Intake end states a source may pass through (error, expired).
export const BACKUP_STATUSES = [
  "pending",
  "submitted",
  "accepted",
  "paranoid_success",
  "rejected",
  "failure",
  "error",
  "expired",
  "vbms",
  "manually",
] as const;

export const REMEDIATION_TYPES = ["manual", "ignored_as_duplicate", "email_notified"] as const;
export const NOTICE_STATUSES = [
  "created",
  "sending",
  "sent",
  "delivered",
  "temporary-failure",
  "permanent-failure",
  "technical-failure",
] as const;
export const GROUP_STATUSES = ["pending", "accepted", "processing", "success", "failure"] as const;
export const EVIDENCE_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;

const text = (max: number) => z.string().max(max);
const required = (max: number) => z.string().min(1).max(max);
const time = () => z.iso.datetime({ offset: true });
// Identifiers the source chose: printable ASCII without spaces, so they are safe in logs and URLs.
const sourceKey = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

const sourceSchema = z
  .looseObject({
    system: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "lowercase letters, digits, '.', '_' or '-', at most 64")
      .describe("Which system of record sent it, e.g. vets-api-production"),
    table: sourceKey(64).describe("Its table: form526_submissions or saved_claims"),
    id: sourceKey(128).describe("Its id in that table; with system, the record's identity"),
    updatedAt: time().describe("When the source last changed anything in this record; orders versions"),
    formId: text(64).nullish().describe("The source's own form id (686C-674-V2, 21-674, 21-526EZ)"),
  })
  .describe("The source's identity for this submission");

const veteranSchema = z
  .looseObject({
    firstName: required(100),
    middleName: text(100).nullish(),
    lastName: required(100),
    fileNumber: text(32).describe("VA file number or SSN as the source holds it; checked before upload"),
    zipCode: text(16).nullish(),
    country: text(64).nullish(),
    email: text(254).nullish(),
  })
  .describe("What the backup's metadata and the veteran's e-mails need");

const evidenceSchema = z.looseObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex characters"),
  fileName: required(255),
  contentType: z.enum(EVIDENCE_TYPES),
  byteSize: z.number().int().min(1).max(LIMITS.fileBytes),
});

const jobSchema = z.looseObject({
  jobClass: required(128).describe("SubmitForm526AllClaim, SubmitForm526, BackupSubmission, PollForm526Pdf, …"),
  status: z.enum(JOB_STATUSES),
  errorClass: text(256).nullish(),
  errorMessage: text(10_000).nullish(),
  // Any JSON value, as formData's fields below: validate.ts's walk bounds it. Not z.json(), whose
  // recursive definition keeps the whole record off z.compile's generated parser (validate.ts).
  bgjobErrors: z.unknown().optional(),
  updatedAt: time(),
});

const primarySchema = z
  .looseObject({
    endpoint: text(64).nullish().describe("evss, claims_api or benefits_intake_api (526 only)"),
    claimId: text(64).nullish().describe("The claim id the primary path returned; null if never accepted there"),
    shownAsSuccess: z.boolean().default(true).describe("The veteran saw a confirmation page"),
    jobs: z.array(jobSchema).max(LIMITS.jobs).default([]),
  })
  .describe("What happened on the primary path");

const backupAttemptSchema = z.looseObject({
  benefitsIntakeUuid: z.uuid().nullish(),
  status: z.enum(BACKUP_STATUSES),
  createdAt: time(),
  updatedAt: time().nullish(),
});

const remediationSchema = z.looseObject({
  type: z.enum(REMEDIATION_TYPES),
  success: z.boolean().default(true),
  lifecycle: z.array(text(2_000)).max(50).nullish(),
  createdAt: time(),
});

const noticeSchema = z.looseObject({
  template: required(128).describe("The VA Notify template id"),
  status: z.enum(NOTICE_STATUSES),
  at: time(),
});

export const submissionRecordSchema = z
  .looseObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    source: sourceSchema,
    formType: z.enum(formTypeEnum.enumValues),
    confirmationGuid: z.uuid().describe("The veteran's confirmation number"),
    claimGroup: z
      .looseObject({
        parentId: sourceKey(128).describe("source.id of the group's 686c; a 686c names itself"),
        status: z.enum(GROUP_STATUSES).nullish(),
      })
      .nullish()
      .describe("Dependents only: the 686c and the 674s that travel with it"),
    claimDate: time().describe("When the veteran submitted the form"),
    veteran: veteranSchema,
    // Any JSON value under each field. Not z.json(): its recursive union cost a third of the time
    // of checking a record, and validate.ts's walk already bounds every value, JSON.parse made it.
    formData: z.record(z.string(), z.unknown()).describe("The form as filled in; the PDFs are rendered from it"),
    evidence: z.array(evidenceSchema).max(LIMITS.evidenceFiles).default([]).describe("Files sent by hash"),
    primary: primarySchema,
    backup: z
      .looseObject({ attempts: z.array(backupAttemptSchema).max(LIMITS.backupAttempts).default([]) })
      .default({ attempts: [] })
      .describe("The backup path as the source knows it"),
    remediations: z.array(remediationSchema).max(LIMITS.remediations).default([]),
    notices: z.array(noticeSchema).max(LIMITS.notices).default([]).describe("Failure notices sent"),
  })
  .superRefine((record, ctx) => {
    const parentId = record.claimGroup?.parentId;
    if (parentId === undefined) return;
    if (record.formType !== "21-674" && parentId !== record.source.id) {
      ctx.addIssue({
        code: "custom",
        path: ["claimGroup", "parentId"],
        message: `a ${record.formType} heads its own group: parentId must be its own source.id`,
      });
    }
  });

export type SubmissionRecord = z.output<typeof submissionRecordSchema>;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

// Generated, never written by hand: what the API publishes and docs/ingest.md shows.
export function ingestJsonSchema() {
  return {
    ...z.toJSONSchema(submissionRecordSchema, { io: "input", unrepresentable: "any" }),
    $id: `https://claim-triage/api/ingest/schema/v${SCHEMA_VERSION}`,
    title: `Claim Triage ingest record, schema version ${SCHEMA_VERSION}`,
  };
}
