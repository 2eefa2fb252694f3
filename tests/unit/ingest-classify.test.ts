import { describe, expect, it } from "vitest";
import { CLASSIFICATION_VERSION, classifySubmission, RULES, type RuleId } from "@/lib/ingest/classify";
import type { SubmissionRecord } from "@/lib/ingest/contract";
import { exampleRecord } from "@/lib/ingest/example-record";
import { validateRecord } from "@/lib/ingest/validate";

// Each classification rule (docs/design.md §9) with a record that matches it and one that just
// misses it: the smallest change that moves the record to another rule.

const NOW = new Date("2024-03-01T12:00:00Z");
const daysAgo = (days: number, hours = 0) =>
  new Date(NOW.getTime() - days * 86_400_000 - hours * 3_600_000).toISOString();
const UUID = "3b0a4c1e-5f7a-4a51-9d7e-0b6c2b1e5a10";

type Input = ReturnType<typeof exampleRecord> & Record<string, unknown>;
type Edit = (r: Input) => void;

function record(edit: Edit, base: "526" | "dependents" = "526"): SubmissionRecord {
  const r = structuredClone(exampleRecord()) as Input;
  r.claimDate = daysAgo(60);
  r.primary.jobs = [];
  r.evidence = [];
  if (base === "dependents") {
    r.formType = "21-686C";
    r.source.table = "saved_claims";
    r.claimGroup = { parentId: r.source.id, status: "pending" } as never;
    r.primary = { shownAsSuccess: true, jobs: [] } as never;
  }
  edit(r);
  const checked = validateRecord(r);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.value.record;
}
const rule = (edit: Edit, base?: "526" | "dependents") => classifySubmission(record(edit, base), NOW).rule;

const job = (jobClass: string, status: string) => ({ jobClass, status, updatedAt: daysAgo(50) });
const attempt = (status: string, createdDaysAgo: number, uuid: string | null = UUID) => ({
  benefitsIntakeUuid: uuid,
  status,
  createdAt: daysAgo(createdDaysAgo),
});
const remediation = (type: string, success: boolean, at: number) => ({ type, success, createdAt: daysAgo(at) });

// [rule, a record that matches, one that just misses, the rule the miss lands on]
const CASES: [RuleId, Edit, Edit, RuleId, ("526" | "dependents")?][] = [
  [
    "526.remediated",
    (r) => {
      r.remediations = [remediation("manual", true, 5)] as never;
    },
    (r) => {
      r.remediations = [remediation("manual", true, 9), remediation("manual", false, 5)] as never;
    },
    "526.no_path_confirmed",
  ],
  [
    "526.accepted_primary",
    (r) => {
      r.primary.claimId = "600123456" as never;
    },
    (r) => {
      r.primary.claimId = "" as never;
    },
    "526.no_path_confirmed",
  ],
  [
    "526.accepted_primary",
    (r) => {
      r.primary.endpoint = "claims_api";
      r.primary.claimId = "600123456" as never;
      r.primary.jobs = [job("PollForm526Pdf", "success")] as never;
    },
    (r) => {
      r.primary.endpoint = "claims_api";
      r.primary.claimId = "600123456" as never;
      r.primary.jobs = [job("PollForm526Pdf", "pdf_not_found")] as never;
    },
    "526.claims_api_pdf_unconfirmed",
  ],
  [
    "526.accepted_backup",
    (r) => {
      r.backup.attempts = [attempt("paranoid_success", 40)] as never;
    },
    (r) => {
      r.backup.attempts = [attempt("rejected", 40)] as never;
    },
    "526.backup_rejected",
  ],
  [
    "526.in_process",
    (r) => {
      r.claimDate = daysAgo(20, 23);
    },
    (r) => {
      r.claimDate = daysAgo(21);
    },
    "526.no_path_confirmed",
  ],
  [
    "526.in_process",
    (r) => {
      r.claimDate = daysAgo(3);
      r.primary.jobs = [job("SubmitForm526AllClaim", "exhausted")] as never;
    },
    (r) => {
      r.claimDate = daysAgo(3);
      r.primary.jobs = [job("BackupSubmission", "exhausted")] as never;
    },
    "526.backup_job_exhausted",
  ],
  [
    "526.pending_backup",
    (r) => {
      r.claimDate = daysAgo(10);
      r.backup.attempts = [attempt("pending", 9)] as never;
    },
    (r) => {
      r.claimDate = daysAgo(22);
      r.backup.attempts = [attempt("pending", 9)] as never;
    },
    "526.no_path_confirmed",
  ],
  [
    "526.primary_job_exhausted",
    (r) => {
      r.primary.jobs = [job("SubmitForm526AllClaim", "non_retryable_error")] as never;
    },
    (r) => {
      r.primary.jobs = [job("SubmitForm526AllClaim", "retryable_error")] as never;
    },
    "526.no_path_confirmed",
  ],
  [
    "526.claims_api_pdf_unconfirmed",
    (r) => {
      r.primary.endpoint = "claims_api";
      r.primary.claimId = "600123456" as never;
    },
    (r) => {
      r.primary.endpoint = "evss";
      r.primary.claimId = "600123456" as never;
    },
    "526.accepted_primary",
  ],
  [
    "526.backup_rejected",
    (r) => {
      r.claimDate = daysAgo(10);
      r.backup.attempts = [attempt("rejected", 9)] as never;
    },
    (r) => {
      r.claimDate = daysAgo(10);
      r.backup.attempts = [attempt("pending", 9)] as never;
    },
    "526.pending_backup",
  ],
  [
    "526.backup_job_exhausted",
    (r) => {
      r.claimDate = daysAgo(3);
      r.primary.jobs = [job("BackupSubmission", "non_retryable_error")] as never;
    },
    (r) => {
      r.claimDate = daysAgo(3);
      r.primary.jobs = [job("BackupSubmission", "retryable_error")] as never;
    },
    "526.in_process",
  ],
  ["526.no_path_confirmed", () => {}, (r) => (r.claimDate = daysAgo(20)), "526.in_process"],
  [
    "dependents.remediated",
    (r) => {
      r.backup.attempts = [attempt("manually", 30)] as never;
    },
    (r) => {
      r.backup.attempts = [attempt("manually", 30), attempt("failure", 20)] as never;
    },
    "dependents.backup_failed",
    "dependents",
  ],
  [
    "dependents.accepted_backup",
    (r) => {
      r.backup.attempts = [attempt("vbms", 30)] as never;
    },
    (r) => {
      r.backup.attempts = [attempt("vbms", 30), attempt("error", 5)] as never;
    },
    "dependents.backup_failed",
    "dependents",
  ],
  [
    "dependents.accepted_primary",
    (r) => {
      (r.claimGroup as { status: string }).status = "accepted";
    },
    (r) => {
      (r.claimGroup as { status: string }).status = "failure";
    },
    "dependents.primary_failed",
    "dependents",
  ],
  [
    "dependents.backup_stale",
    (r) => {
      r.backup.attempts = [attempt("pending", 10)] as never;
    },
    (r) => {
      r.backup.attempts = [attempt("pending", 9)] as never;
    },
    "dependents.backup_in_process",
    "dependents",
  ],
  [
    "dependents.backup_in_process",
    (r) => {
      r.backup.attempts = [attempt("submitted", 40)] as never;
    },
    (r) => {
      r.backup.attempts = [attempt("expired", 40)] as never;
    },
    "dependents.backup_failed",
    "dependents",
  ],
  [
    "dependents.backup_failed",
    (r) => {
      r.backup.attempts = [attempt("failure", 40)] as never;
    },
    (r) => {
      r.backup.attempts = [attempt("submitted", 40)] as never;
    },
    "dependents.backup_in_process",
    "dependents",
  ],
  [
    "dependents.primary_failed",
    (r) => {
      (r.claimGroup as { status: string }).status = "failure";
    },
    (r) => {
      (r.claimGroup as { status: string }).status = "failure";
      r.backup.attempts = [attempt("pending", 2)] as never;
    },
    "dependents.backup_in_process",
    "dependents",
  ],
  [
    "dependents.in_process",
    (r) => {
      (r.claimGroup as { status: string }).status = "processing";
    },
    (r) => {
      (r.claimGroup as { status: string }).status = "failure";
    },
    "dependents.primary_failed",
    "dependents",
  ],
];

describe("classification as the source defines failure", () => {
  it.each(CASES)("%s: matches, and one change moves it elsewhere", (id, match, miss, missRule, base) => {
    expect(rule(match, base)).toBe(id);
    expect(rule(miss, base)).toBe(missRule);
  });

  it("has a matching case for every rule", () => {
    const covered = new Set(CASES.map(([id]) => id));
    expect([...covered].sort()).toEqual(Object.keys(RULES).sort());
  });

  it("stores the rule version and the facts it matched", () => {
    const c = classifySubmission(
      record(() => {}),
      NOW,
    );
    expect(c).toMatchObject({ version: CLASSIFICATION_VERSION, rule: "526.no_path_confirmed", category: "failed" });
    expect(c.facts).toMatchObject({ claimId: null, endpoint: "evss", ageDays: 60 });
  });
});

describe("the source's blind spots", () => {
  it("an e-mail notice is not a remediation: still failed, but notified, and out of the black hole", () => {
    const emailed = classifySubmission(
      record((r) => {
        r.remediations = [remediation("email_notified", true, 5)] as never;
      }),
      NOW,
    );
    expect(emailed).toMatchObject({ category: "failed", notified: true, blackHole: false });
    const silent = classifySubmission(
      record(() => {}),
      NOW,
    );
    expect(silent).toMatchObject({ category: "failed", notified: false, blackHole: true });
  });

  it("a delivered failure notice takes the claim out of the black hole; a failed delivery does not", () => {
    const notice = (status: string) => (r: Input) => {
      r.notices = [{ template: "form526-failure", status, at: daysAgo(40) }] as never;
    };
    expect(classifySubmission(record(notice("delivered")), NOW).blackHole).toBe(false);
    expect(classifySubmission(record(notice("permanent-failure")), NOW).blackHole).toBe(true);
  });

  it("a claim never shown a success page is failed but not in the black hole", () => {
    const c = classifySubmission(
      record((r) => {
        r.primary.shownAsSuccess = false;
      }),
      NOW,
    );
    expect(c).toMatchObject({ category: "failed", blackHole: false });
  });

  it("a claims_api claim whose PDF never arrived goes to a person", () => {
    const c = classifySubmission(
      record((r) => {
        r.primary.endpoint = "claims_api";
        r.primary.claimId = "600123456" as never;
      }),
      NOW,
    );
    expect(c.category).toBe("needs_person");
  });

  it("a claim in process says when to look again", () => {
    const c = classifySubmission(
      record((r) => {
        r.claimDate = daysAgo(5);
      }),
      NOW,
    );
    expect(c.reevaluateAt?.toISOString()).toBe(new Date(NOW.getTime() + 16 * 86_400_000).toISOString());
  });
});
