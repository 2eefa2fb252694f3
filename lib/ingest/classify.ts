import type { BackupStatus, SubmissionRecord } from "./contract";

// Whether a submission is a failure, as the system of record itself defines one (docs/design.md §9:
// vets-api's Form526SubmissionState scopes, and the dependents' group and Benefits Intake attempt
// states), minus the two blind spots the triage team must not inherit: an e-mail notice is not a
// remediation (the claim is told, not fixed, and stays resubmittable), and a claim accepted on the
// claims_api path whose PDF poll never succeeded is neither success nor failure there, so here it
// goes to a person. The rules are tried in order; the first that matches decides, and its facts are
// kept on the record so the claim page can say why the claim is on the list. A change to any rule
// bumps CLASSIFICATION_VERSION, which is stored on each claim.

export const CLASSIFICATION_VERSION = 1;

const DAY = 86_400_000;
export const MAX_PENDING_DAYS = 21; // vets-api's MAX_PENDING_TIME: 3 weeks
export const STALE_ATTEMPT_DAYS = 10; // the dependents' status job logs a pending attempt as stale past 10 days

// failed: on the triage list, may be resubmitted. needs_person: on the list, parked until a person
// looks. in_process: not failed yet (time may change that). resolved: a path confirmed it, or a
// person remediated it, at the source.
export type Category = "failed" | "needs_person" | "in_process" | "resolved";

export const RULES = {
  "526.remediated": { category: "resolved", text: "remediated at the source" },
  "526.accepted_primary": { category: "resolved", text: "accepted on the primary path" },
  "526.accepted_backup": { category: "resolved", text: "accepted on the backup path" },
  "526.claims_api_pdf_unconfirmed": {
    category: "needs_person",
    text: "accepted on the claims_api path, but its PDF was never confirmed",
  },
  "526.in_process": { category: "in_process", text: "in process: younger than 3 weeks, no backup yet" },
  "526.pending_backup": { category: "in_process", text: "backup pending: younger than 3 weeks" },
  "526.backup_rejected": { category: "failed", text: "the backup upload was rejected" },
  "526.backup_job_exhausted": { category: "failed", text: "the backup job ran out of retries" },
  "526.primary_job_exhausted": {
    category: "failed",
    text: "the primary job ran out of retries and no path accepted the claim in 3 weeks",
  },
  "526.no_path_confirmed": { category: "failed", text: "no path accepted the claim in 3 weeks" },
  "dependents.remediated": { category: "resolved", text: "remediated at the source" },
  "dependents.accepted_backup": { category: "resolved", text: "in VBMS through Benefits Intake" },
  "dependents.accepted_primary": { category: "resolved", text: "the claim group succeeded" },
  "dependents.backup_failed": { category: "failed", text: "the latest Benefits Intake attempt failed" },
  "dependents.backup_stale": {
    category: "failed",
    text: "the latest Benefits Intake attempt has been pending for more than 10 days",
  },
  "dependents.primary_failed": { category: "failed", text: "the claim group failed and no backup was attempted" },
  "dependents.backup_in_process": { category: "in_process", text: "a Benefits Intake attempt is under way" },
  "dependents.in_process": { category: "in_process", text: "in process: the claim group has not failed" },
} as const satisfies Record<string, { category: Category; text: string }>;

export type RuleId = keyof typeof RULES;
type Fact = string | number | boolean | null;

export type Classification = {
  version: number;
  rule: RuleId;
  category: Category;
  facts: Record<string, Fact>;
  // The veteran was told of the failure (a delivered notice, or the source's email_notified record).
  notified: boolean;
  blackHole: boolean;
  reevaluateAt: Date | null;
};

const ACCEPTED_BACKUP: readonly BackupStatus[] = ["accepted", "paranoid_success", "vbms"];
const FAILED_BACKUP: readonly BackupStatus[] = ["rejected", "failure", "error", "expired"];
const EXHAUSTED = ["non_retryable_error", "exhausted"];
const PRIMARY_526_JOB = "SubmitForm526AllClaim";
const BACKUP_526_JOB = "BackupSubmission";
const PDF_POLL_JOB = "PollForm526Pdf";

const byTime = <T>(items: readonly T[], at: (item: T) => string) =>
  [...items].sort((a, b) => Date.parse(at(a)) - Date.parse(at(b)));
const latest = <T>(items: readonly T[], at: (item: T) => string): T | undefined => byTime(items, at).at(-1);

// The source counts the latest remediation; an email_notified one is a notice, not a fix.
function remediationFacts(record: SubmissionRecord) {
  const fixes = record.remediations.filter((r) => r.type !== "email_notified");
  const latestFix = latest(fixes, (r) => r.createdAt);
  const emailed = record.remediations.some((r) => r.type === "email_notified" && r.success);
  return { remediated: latestFix?.success === true ? latestFix.type : null, emailed };
}

function isNotified(record: SubmissionRecord, emailed: boolean): boolean {
  return emailed || record.notices.some((n) => n.status === "delivered" || n.status === "sent");
}

function decide(
  record: SubmissionRecord,
  rule: RuleId,
  facts: Record<string, Fact>,
  notified: boolean,
  reevaluateAt: Date | null = null,
): Classification {
  const { category } = RULES[rule];
  return {
    version: CLASSIFICATION_VERSION,
    rule,
    category,
    facts,
    notified,
    // Failed, shown a success page, never told: no backup ever succeeded, or it would be resolved.
    blackHole: category === "failed" && record.primary.shownAsSuccess && !notified,
    reevaluateAt,
  };
}

export function classify526(record: SubmissionRecord, now: Date): Classification {
  const { remediated, emailed } = remediationFacts(record);
  const notified = isNotified(record, emailed);
  const claimId = record.primary.claimId || null;
  const endpoint = record.primary.endpoint ?? null;
  const jobs = record.primary.jobs;
  const pdfConfirmed = jobs.some((j) => j.jobClass === PDF_POLL_JOB && j.status === "success");
  const backup = latest(record.backup.attempts, (a) => a.createdAt);
  const backupUuid = backup?.benefitsIntakeUuid ?? null;
  const backupStatus = backup?.status ?? null;
  const ageDays = Math.floor((now.getTime() - Date.parse(record.claimDate)) / DAY);
  const young = ageDays < MAX_PENDING_DAYS;
  const exhausted = (jobClass: string) => jobs.some((j) => j.jobClass === jobClass && EXHAUSTED.includes(j.status));
  const exhaustedBackup = !claimId && exhausted(BACKUP_526_JOB);
  const exhaustedPrimary = !claimId && exhausted(PRIMARY_526_JOB);
  const deadline = new Date(Date.parse(record.claimDate) + MAX_PENDING_DAYS * DAY);
  const facts = { claimId, endpoint, ageDays, backupUuid, backupStatus, remediated, emailed };

  if (remediated) return decide(record, "526.remediated", facts, notified);
  if (claimId && (endpoint !== "claims_api" || pdfConfirmed))
    return decide(record, "526.accepted_primary", { ...facts, pdfConfirmed }, notified);
  if (backupUuid && backupStatus && ACCEPTED_BACKUP.includes(backupStatus))
    return decide(record, "526.accepted_backup", facts, notified);
  if (claimId) return decide(record, "526.claims_api_pdf_unconfirmed", { ...facts, pdfConfirmed }, notified);
  // From here there is no claim id: the source's failure unless still in process or pending backup.
  if (!backupUuid && young && !exhaustedBackup) return decide(record, "526.in_process", facts, notified, deadline);
  if (backupUuid && (backupStatus === "pending" || backupStatus === "submitted") && young)
    return decide(record, "526.pending_backup", facts, notified, deadline);
  if (backupStatus && FAILED_BACKUP.includes(backupStatus))
    return decide(record, "526.backup_rejected", facts, notified);
  if (exhaustedBackup) return decide(record, "526.backup_job_exhausted", { ...facts, exhaustedBackup }, notified);
  if (exhaustedPrimary) return decide(record, "526.primary_job_exhausted", { ...facts, exhaustedPrimary }, notified);
  return decide(record, "526.no_path_confirmed", facts, notified);
}

export function classifyDependents(record: SubmissionRecord, now: Date): Classification {
  const { remediated, emailed } = remediationFacts(record);
  const notified = isNotified(record, emailed);
  const attempt = latest(record.backup.attempts, (a) => a.createdAt);
  const attemptStatus = attempt?.status ?? null;
  const groupStatus = record.claimGroup?.status ?? null;
  const attemptAgeDays = attempt ? Math.floor((now.getTime() - Date.parse(attempt.createdAt)) / DAY) : null;
  const facts = { groupStatus, attemptStatus, attemptAgeDays, remediated, emailed };

  if (remediated || attemptStatus === "manually")
    return decide(record, "dependents.remediated", { ...facts, remediated: remediated ?? "manually" }, notified);
  if (attemptStatus && ACCEPTED_BACKUP.includes(attemptStatus))
    return decide(record, "dependents.accepted_backup", facts, notified);
  if (groupStatus === "success" || groupStatus === "accepted")
    return decide(record, "dependents.accepted_primary", facts, notified);
  if (attemptStatus && FAILED_BACKUP.includes(attemptStatus))
    return decide(record, "dependents.backup_failed", facts, notified);
  if (attempt && attemptStatus === "pending") {
    if ((attemptAgeDays ?? 0) >= STALE_ATTEMPT_DAYS) return decide(record, "dependents.backup_stale", facts, notified);
    const stale = new Date(Date.parse(attempt.createdAt) + STALE_ATTEMPT_DAYS * DAY);
    return decide(record, "dependents.backup_in_process", facts, notified, stale);
  }
  if (attempt) return decide(record, "dependents.backup_in_process", facts, notified);
  if (groupStatus === "failure") return decide(record, "dependents.primary_failed", facts, notified);
  return decide(record, "dependents.in_process", facts, notified);
}

export function classifySubmission(record: SubmissionRecord, now: Date): Classification {
  return record.formType === "21-526EZ" ? classify526(record, now) : classifyDependents(record, now);
}

export function ruleText(rule: RuleId): string {
  return RULES[rule].text;
}

// A rule as stored (a claim or a record holds its id as text): its words, or the id itself for a rule
// an older version knew.
export function storedRuleText(rule: string): string {
  return Object.hasOwn(RULES, rule) ? RULES[rule as RuleId].text : rule;
}
