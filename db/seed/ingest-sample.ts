import { createHash } from "node:crypto";
import { pickFailure } from "./failures";
import { make526, make674, make686c } from "./forms";
import { makeVeteran } from "./people";
import { createRandom, type Random } from "./random";
import { makePng } from "./sample-files";

// Ingest records (docs/ingest.md, schema version 1) as a system of record would send them, in the
// mix DESIGN §9 describes: every failure category of the 526 and of the dependents' claims, the
// source's blind spots (a notice recorded as a remediation, a claims_api claim whose PDF was never
// confirmed), duplicates of the same veteran and form, claims still in process, resolved ones
// (accepted on a path, remediated by hand), and evidence files referenced by hash. Deterministic
// for a given seed; one veteran at a time, so a million records stream through constant memory.
// `npm run ingest:sample -- --count N` writes them as NDJSON (lib/ingest/sample-cli.ts).

const DAY = 86_400_000;
const START = Date.UTC(2021, 0, 1);
const SPAN = Date.UTC(2023, 0, 1) - START;

// The evidence file the sample refers to (a PNG "photo"): its bytes are written by --files DIR.
export function sampleEvidence() {
  const bytes = makePng(64, 48);
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex"), byteSize: bytes.length };
}

type Weighted<T> = readonly (readonly [T, number])[];
function weighted<T>(r: Random, items: Weighted<T>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[0][0];
}

type Case526 =
  | "no_path_confirmed"
  | "primary_job_exhausted"
  | "backup_rejected"
  | "backup_job_exhausted"
  | "notified_only"
  | "accepted_primary"
  | "accepted_backup"
  | "remediated"
  | "claims_api_unconfirmed"
  | "in_process"
  | "pending_backup";
const CASES_526: Weighted<Case526> = [
  ["primary_job_exhausted", 34],
  ["no_path_confirmed", 8],
  ["backup_rejected", 8],
  ["backup_job_exhausted", 6],
  ["notified_only", 10],
  ["accepted_primary", 10],
  ["accepted_backup", 6],
  ["remediated", 5],
  ["claims_api_unconfirmed", 3],
  ["in_process", 6],
  ["pending_backup", 4],
];
// in_process and pending_backup are drawn for recent claims only (an old one is a failure there).

type CaseDependents =
  | "primary_failed"
  | "backup_failed"
  | "backup_stale"
  | "vbms"
  | "manually"
  | "group_success"
  | "in_process";
const CASES_DEPENDENTS: Weighted<CaseDependents> = [
  ["primary_failed", 40],
  ["backup_failed", 22],
  ["backup_stale", 10],
  ["vbms", 12],
  ["manually", 6],
  ["group_success", 6],
  ["in_process", 10],
];

// An evidence file a record may cite; the sample's own PNG unless the caller stored others.
export type SampleEvidenceFile = { sha256: string; fileName: string; contentType: string; byteSize: number };

export type SampleOptions = {
  seed?: number;
  system?: string;
  now?: Date;
  evidenceShare?: number;
  evidenceFiles?: readonly SampleEvidenceFile[];
  // The number of the sample's first veteran (their file numbers follow it, 000 and six digits):
  // two samples meant to be different people start far enough apart. From 1 by default, so two
  // samples of different seeds share file numbers, and one in ten of those veterans a last name
  // too: the same person, as far as the duplicate rule can tell.
  firstVeteran?: number;
};

export function createIngestSample(options: SampleOptions = {}) {
  const r = createRandom(options.seed ?? 12_012);
  const system = options.system ?? "vets-api-sample";
  const now = options.now ?? new Date();
  const sample = sampleEvidence();
  const files: readonly SampleEvidenceFile[] = options.evidenceFiles ?? [
    { sha256: sample.sha256, fileName: "photo-of-letter.png", contentType: "image/png", byteSize: sample.byteSize },
  ];
  let id526 = 4_000_000;
  let idSaved = 9_000_000;
  const iso = (ms: number) => new Date(ms).toISOString();

  function common(veteran: ReturnType<typeof makeVeteran>, claimAt: number) {
    return {
      schemaVersion: 1,
      confirmationGuid: r.uuid(),
      claimDate: iso(claimAt),
      veteran: {
        firstName: veteran.firstName,
        middleName: veteran.middleInitial ?? null,
        lastName: veteran.lastName,
        fileNumber: veteran.fileNumber,
        zipCode: veteran.address.zipCode,
        country: veteran.address.country,
        email: r.chance(0.93) ? veteran.email : null,
      },
      evidence: r.chance(options.evidenceShare ?? 0.08) ? [{ ...r.pick(files) }] : [],
      remediations: [] as object[],
      notices: [] as object[],
    };
  }

  function record526(veteran: ReturnType<typeof makeVeteran>, kase: Case526, claimAt: number) {
    const id = String(++id526);
    const failure = pickFailure(r);
    const failedAt = claimAt + r.int(1, 48) * 3_600_000;
    const base = common(veteran, claimAt);
    const jobs: object[] = [
      {
        jobClass: "SubmitForm526AllClaim",
        status: "exhausted",
        errorClass: failure.errorClass,
        errorMessage: failure.message(r, new Date(failedAt)),
        updatedAt: iso(failedAt),
      },
    ];
    const primary = {
      endpoint: r.chance(0.7) ? "evss" : "claims_api",
      claimId: null as string | null,
      shownAsSuccess: true,
      jobs,
    };
    const attempts: object[] = [];
    const backupAt = failedAt + DAY;
    switch (kase) {
      case "no_path_confirmed":
        jobs[0] = {
          jobClass: "SubmitForm526AllClaim",
          status: "retryable_error",
          errorClass: failure.errorClass,
          errorMessage: failure.message(r, new Date(failedAt)),
          updatedAt: iso(failedAt),
        };
        break;
      case "backup_rejected":
        attempts.push({
          benefitsIntakeUuid: r.uuid(),
          status: "rejected",
          createdAt: iso(backupAt),
          updatedAt: iso(backupAt + 2 * DAY),
        });
        break;
      case "backup_job_exhausted":
        jobs.push({
          jobClass: "BackupSubmission",
          status: "exhausted",
          errorClass: "BenefitsIntakeService::Service::InvalidDocumentError",
          errorMessage: "DOC104: upload rejected, the PDF could not be read",
          updatedAt: iso(backupAt),
        });
        break;
      case "notified_only":
        base.remediations.push({ type: "email_notified", success: true, createdAt: iso(backupAt) });
        base.notices.push({
          template: "form526_submission_failure_email",
          status: r.chance(0.8) ? "delivered" : "permanent-failure",
          at: iso(backupAt),
        });
        break;
      case "accepted_primary":
        primary.claimId = String(r.int(600_000_000, 699_999_999));
        primary.endpoint = "evss";
        jobs[0] = { jobClass: "SubmitForm526AllClaim", status: "success", updatedAt: iso(failedAt) };
        break;
      case "accepted_backup":
        attempts.push({
          benefitsIntakeUuid: r.uuid(),
          status: r.chance(0.9) ? "accepted" : "paranoid_success",
          createdAt: iso(backupAt),
          updatedAt: iso(backupAt + DAY),
        });
        break;
      case "remediated":
        base.remediations.push({
          type: "manual",
          success: true,
          lifecycle: ["uploaded by hand to the Central Mail portal"],
          createdAt: iso(backupAt + 30 * DAY),
        });
        break;
      case "claims_api_unconfirmed":
        primary.endpoint = "claims_api";
        primary.claimId = String(r.int(600_000_000, 699_999_999));
        jobs[0] = { jobClass: "SubmitForm526AllClaim", status: "success", updatedAt: iso(failedAt) };
        jobs.push({ jobClass: "PollForm526Pdf", status: "pdf_not_found", updatedAt: iso(backupAt) });
        break;
      case "in_process":
        jobs[0] = { jobClass: "SubmitForm526AllClaim", status: "try", updatedAt: iso(failedAt) };
        break;
      case "pending_backup":
        attempts.push({ benefitsIntakeUuid: r.uuid(), status: "pending", createdAt: iso(backupAt) });
        break;
    }
    return {
      ...base,
      source: {
        system,
        table: "form526_submissions",
        id,
        updatedAt: iso(Math.min(now.getTime(), backupAt + 40 * DAY)),
        formId: "21-526EZ",
      },
      formType: "21-526EZ",
      formData: make526(r, veteran),
      primary,
      backup: { attempts },
    };
  }

  function dependents(
    veteran: ReturnType<typeof makeVeteran>,
    kase: CaseDependents,
    claimAt: number,
    students: number,
  ) {
    const parentId = String(++idSaved);
    const failedAt = claimAt + r.int(1, 48) * 3_600_000;
    const attemptAt =
      kase === "backup_stale" || kase === "in_process"
        ? now.getTime() - r.int(kase === "backup_stale" ? 11 : 1, kase === "backup_stale" ? 60 : 9) * DAY
        : failedAt + DAY;
    const groupStatus = kase === "in_process" ? "processing" : kase === "group_success" ? "success" : "failure";
    const attemptStatus: Record<CaseDependents, string | null> = {
      primary_failed: null,
      backup_failed: r.chance(0.5) ? "failure" : "error",
      backup_stale: "pending",
      vbms: "vbms",
      manually: "manually",
      group_success: null,
      in_process: r.chance(0.5) ? "pending" : null, // a Benefits Intake attempt under way, or not started
    };
    const status = attemptStatus[kase];
    const make = (formType: "21-686C" | "21-674", id: string) => {
      const base = common(veteran, claimAt);
      if (kase === "backup_failed" && r.chance(0.7))
        base.notices.push({ template: "form21_686c_error_email", status: "delivered", at: iso(attemptAt + DAY) });
      return {
        ...base,
        source: {
          system,
          table: "saved_claims",
          id,
          updatedAt: iso(Math.min(now.getTime(), attemptAt + DAY)),
          formId: formType === "21-686C" ? "686C-674-V2" : "21-674-V2",
        },
        formType,
        claimGroup: { parentId, status: groupStatus },
        formData: formType === "21-686C" ? make686c(r, veteran, students) : make674(r, veteran),
        primary: { shownAsSuccess: true, jobs: [] },
        backup: { attempts: status ? [{ benefitsIntakeUuid: r.uuid(), status, createdAt: iso(attemptAt) }] : [] },
      };
    };
    return [make("21-686C", parentId), ...Array.from({ length: students }, () => make("21-674", String(++idSaved)))];
  }

  let veteranIndex = (options.firstVeteran ?? 1) - 1;
  // The records of the next veteran: one or more submissions; a few sent the same form twice.
  return function nextVeteran(): object[] {
    const veteran = makeVeteran(r, ++veteranIndex, { badFileNumber: r.chance(0.01) });
    const recent = r.chance(0.1);
    const claimAt = recent ? now.getTime() - r.int(1, 20) * DAY : START + Math.floor(r.next() * SPAN);
    const records: object[] = [];
    if (r.chance(0.72)) {
      // Younger than 3 weeks: still in process, or its backup pending (not failed yet at the source).
      const kase: Case526 = recent
        ? r.chance(0.7)
          ? "in_process"
          : "pending_backup"
        : weighted(
            r,
            CASES_526.filter(([k]) => k !== "in_process" && k !== "pending_backup"),
          );
      records.push(record526(veteran, kase, claimAt));
      // The same veteran submitting the same form again, weeks later: the newer one stands.
      if (!recent && r.chance(0.1))
        records.push(record526(veteran, weighted(r, CASES_526.slice(0, 3)), claimAt + r.int(7, 60) * DAY));
    } else {
      const kase = recent
        ? "in_process"
        : weighted(
            r,
            CASES_DEPENDENTS.filter(([k]) => k !== "in_process"),
          );
      records.push(...dependents(veteran, kase, claimAt, r.chance(0.4) ? r.int(1, 2) : 0));
    }
    return records;
  };
}
