import type { Random } from "./random";

// Claim Triage's own past in the demo (docs/design.md §1): three console batches that already
// re-submitted most of the failed claims before the tool existed. The claims themselves arrive
// through the ingest (lib/demo-seed.ts); this adds, for each failed main claim it is handed, the
// backup attempts, batch items and e-mails those batches left, as rows for COPY, and says what the
// claim's group became. A claim with a short file number fails for good (its metadata can never
// pass), as it did in the console.

export const HISTORICAL_BATCHES = [
  { id: 1, name: "Console batch 1 (historical)", daysAgo: 40 },
  { id: 2, name: "Console batch 2 (historical)", daysAgo: 21 },
  { id: 3, name: "Console batch 3 (historical)", daysAgo: 3 },
];

// Share of the imported failures the console batches had already re-submitted.
const RESUBMITTED_SHARE = 0.8;

export type FailedClaim = {
  id: number;
  formType: string;
  firstName: string;
  email: string | null;
  submittedAt: Date;
  fileNumber: string;
  // The claims the group's backup carries (the main claim and its 674s).
  groupSize: number;
};

export type HistoryRows = {
  backupSubmissions: unknown[][];
  backupAttempts: unknown[][];
  batchItems: unknown[][];
  notifications: unknown[][];
  // [main claim id, triage state, attempt count, latest attempt status, batch id, told it failed]
  claims: [number, "confirmed" | "failed", number, string, number, boolean][];
};

export const emptyHistory = (): HistoryRows => ({
  backupSubmissions: [],
  backupAttempts: [],
  batchItems: [],
  notifications: [],
  claims: [],
});

export type HistoryIds = { submission: number; attempt: number; batchItem: number; notification: number };

const DAY = 86_400_000;
const VALID_FILE_NUMBER = /^\d{8,9}$/;

function formatDate(d: Date) {
  return d.toLocaleDateString("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });
}

export function createSeedHistory(r: Random, now: Date, ids: HistoryIds) {
  // The burn-down's history: claims that left the list, by the day their upload was accepted.
  const departures = new Map<string, number>();

  function notification(claim: FailedClaim, attemptId: number, template: string, at: Date) {
    const personalisation: Record<string, string> = {
      first_name: claim.firstName.toUpperCase(),
      date_submitted: formatDate(claim.submittedAt),
      confirmation_number: `claim-${claim.id}`,
    };
    if (template === "backup_failed") personalisation.date_of_failure = formatDate(at);
    return [
      ++ids.notification,
      claim.id,
      attemptId,
      template,
      claim.email,
      personalisation,
      "sent",
      `notify-${r.uuid()}`,
      1,
      at,
      at,
    ];
  }

  // Adds the console's history of one failed main claim, or nothing if no batch took it.
  function add(rows: HistoryRows, claim: FailedClaim) {
    if (!r.chance(RESUBMITTED_SHARE)) return;
    const x = r.next();
    const batch = HISTORICAL_BATCHES[x < 0.4 ? 0 : x < 0.75 ? 1 : 2];
    const badFileNumber = !VALID_FILE_NUMBER.test(claim.fileNumber);
    const y = r.next();
    // Every historical upload already has its end state: the local Benefits Intake service of a
    // fresh install does not know these uuids, so none may be left waiting to be polled.
    const end = badFileNumber ? "permanent" : y < 0.012 ? "error" : y < 0.02 ? "permanent" : "vbms";
    const transientFirst = !badFileNumber && r.chance(0.04);
    const submissionId = ++ids.submission;
    let t = new Date(now.getTime() - batch.daysAgo * DAY + r.int(0, 8 * 3600) * 1000);
    let attemptNumber = 0;
    const attempt = (status: string, extra: Record<string, unknown>) => {
      const id = ++ids.attempt;
      attemptNumber++;
      const started = t;
      t = new Date(t.getTime() + r.int(5, 40) * 1000);
      rows.backupAttempts.push([
        id,
        submissionId,
        claim.id,
        attemptNumber,
        extra.retry ?? 0,
        status,
        r.uuid(),
        extra.errorClass ?? null,
        extra.errorCode ?? null,
        extra.errorMessage ?? null,
        extra.httpStatus ?? null,
        extra.transient ?? null,
        "batch",
        batch.id,
        started,
        extra.submittedAt ?? null,
        t,
        extra.endStateAt ?? null,
      ]);
      return id;
    };
    if (transientFirst)
      attempt("failure", {
        errorClass: "BenefitsIntakeError",
        errorMessage: "503 Service Unavailable",
        httpStatus: 503,
        transient: true,
      });
    let lastId: number;
    let status: string;
    if (end === "permanent") {
      status = "failure";
      lastId = attempt(
        status,
        badFileNumber
          ? {
              errorClass: "MetadataInvalid",
              errorCode: "DOC102",
              errorMessage: "file number must be 8 or 9 digits",
              transient: false,
            }
          : {
              errorClass: "BenefitsIntakeError",
              errorCode: "DOC103",
              errorMessage: "Invalid PDF: unreadable page content",
              httpStatus: 400,
              transient: false,
            },
      );
      if (claim.email) rows.notifications.push(notification(claim, lastId, "backup_failed", t));
    } else {
      status = end;
      const submittedAt = t;
      const endStateAt = new Date(Math.min(t.getTime() + r.int(6, 140) * 3600 * 1000, now.getTime() - 60_000));
      lastId = attempt(status, {
        retry: transientFirst ? 1 : 0,
        submittedAt,
        endStateAt,
        ...(end === "error"
          ? { errorCode: "DOC202", errorMessage: "Upstream processing error: resubmit", transient: false }
          : {}),
      });
      if (claim.email) rows.notifications.push(notification(claim, lastId, "backup_in_progress", submittedAt));
      if (end === "vbms") {
        const day = submittedAt.toISOString().slice(0, 10);
        departures.set(day, (departures.get(day) ?? 0) + claim.groupSize);
      }
    }
    const state = end === "vbms" ? "confirmed" : "failed";
    rows.backupSubmissions.push([submissionId, claim.id, claim.formType, status, null, t, t]);
    rows.batchItems.push([++ids.batchItem, batch.id, claim.id, state, null, lastId, t]);
    const told = end === "permanent" && claim.email !== null;
    rows.claims.push([claim.id, state, attemptNumber, status, batch.id, told]);
  }

  return { add, departures };
}
