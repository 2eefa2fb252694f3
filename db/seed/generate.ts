import { normaliseFailureMessage } from "../failure-reason";
import type { FormType, TriageState } from "../schema/enums";
import { MISSING_FILE_NUMBER, pickFailure } from "./failures";
import { make526, make674, make686c } from "./forms";
import { makeVeteran } from "./people";
import type { Random } from "./random";

// Builds the demo data as rows for COPY, one veteran at a time, so a million claims stream through
// bounded memory. The story (docs/design.md §1): failed claims from 2021–2022, most of them black
// holes, duplicates of the same veteran, three console batches already re-submitted.

export const HISTORICAL_BATCHES = [
  { id: 1, name: "Console batch 1 (historical)", daysAgo: 40 },
  { id: 2, name: "Console batch 2 (historical)", daysAgo: 21 },
  { id: 3, name: "Console batch 3 (historical)", daysAgo: 3 },
];

export type SeedRows = {
  claimGroups: unknown[][];
  savedClaims: unknown[][];
  primarySubmissions: unknown[][];
  persistentAttachments: unknown[][];
  backupSubmissions: unknown[][];
  backupAttempts: unknown[][];
  batchItems: unknown[][];
  notifications: unknown[][];
};

export const emptyRows = (): SeedRows => ({
  claimGroups: [],
  savedClaims: [],
  primarySubmissions: [],
  persistentAttachments: [],
  backupSubmissions: [],
  backupAttempts: [],
  batchItems: [],
  notifications: [],
});

export type SampleAttachment = { fileName: string; contentType: string; storageKey: string; byteSize: number };

type Counters = {
  claim: number;
  group: number;
  attempt: number;
  submission: number;
  attachment: number;
  notification: number;
  batchItem: number;
};

const DAY = 86_400_000;
const START_2021 = Date.UTC(2021, 0, 1);
const SPAN_2021_2022 = Date.UTC(2023, 0, 1) - START_2021;

function formatDate(d: Date) {
  return d.toLocaleDateString("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });
}

type Fate =
  | { kind: "never" }
  | { kind: "batch"; batchId: number; transientFirst: boolean; end: "vbms" | "error" | "permanent" };

export function createSeedGenerator(r: Random, now: Date, attachments: SampleAttachment[]) {
  const ids: Counters = { claim: 0, group: 0, attempt: 0, submission: 0, attachment: 0, notification: 0, batchItem: 0 };
  const departures = new Map<string, number>();

  function fateFor(badFileNumber: boolean): Fate {
    if (!r.chance(0.86)) return { kind: "never" };
    const x = r.next();
    const batchId = x < 0.4 ? 1 : x < 0.75 ? 2 : 3;
    if (badFileNumber) return { kind: "batch", batchId, transientFirst: false, end: "permanent" };
    const y = r.next();
    // Every historical upload already has its end state: the local Benefits Intake service of a
    // fresh install does not know these uuids, so none may be left waiting to be polled.
    const end = y < 0.012 ? "error" : y < 0.02 ? "permanent" : "vbms";
    return { kind: "batch", batchId, transientFirst: r.chance(0.04), end };
  }

  // One claim group (526EZ alone, or a 686c with 0–3 674s); returns how many claims it made.
  function addGroup(
    rows: SeedRows,
    vet: ReturnType<typeof makeVeteran>,
    submittedAt: Date,
    duplicateOf: number | null,
    badFileNumber: boolean,
  ): { mainId: number; count: number } {
    const groupId = ++ids.group;
    const is526 = r.chance(0.854);
    const studentCount = is526 ? 0 : r.int(0, 3);
    const forms: { type: FormType; data: unknown }[] = is526
      ? [{ type: "21-526EZ", data: make526(r, vet) }]
      : [
          { type: "21-686C", data: make686c(r, vet, studentCount) },
          ...Array.from({ length: studentCount }, () => ({ type: "21-674" as FormType, data: make674(r, vet) })),
        ];

    const failure = badFileNumber ? MISSING_FILE_NUMBER : pickFailure(r);
    const failedAt = new Date(submittedAt.getTime() + r.int(60, 3600) * 1000);
    const message = failure.message(r, failedAt);
    const shownAsSuccess = r.chance(0.85);
    const primaryNotice = !shownAsSuccess && r.chance(0.7);
    const fate: Fate = duplicateOf ? { kind: "never" } : fateFor(badFileNumber);

    const mainId = ids.claim + 1;
    let state: TriageState = duplicateOf ? "duplicate" : "never_tried";
    let attemptCount = 0;
    let latestStatus: string | null = null;
    let notified = primaryNotice;
    let succeeded = false;
    let latestBatchId: number | null = null;
    let groupStatus = "failure";

    if (fate.kind === "batch") {
      const batch = HISTORICAL_BATCHES[fate.batchId - 1];
      latestBatchId = batch.id;
      const submissionId = ++ids.submission;
      let t = new Date(now.getTime() - batch.daysAgo * DAY + r.int(0, 8 * 3600) * 1000);
      let attemptNumber = 0;
      const attempt = (status: string, extra: Partial<Record<string, unknown>>) => {
        const id = ++ids.attempt;
        attemptNumber++;
        const started = t;
        t = new Date(t.getTime() + r.int(5, 40) * 1000);
        rows.backupAttempts.push([
          id,
          submissionId,
          mainId,
          attemptNumber,
          extra.retry ?? 0,
          status,
          extra.uuid ?? r.uuid(),
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
      if (fate.transientFirst) {
        attempt("failure", {
          errorClass: "BenefitsIntakeError",
          errorMessage: "503 Service Unavailable",
          httpStatus: 503,
          transient: true,
        });
      }
      let lastId: number;
      if (fate.end === "permanent") {
        lastId = attempt(
          "failure",
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
        state = "failed";
        latestStatus = "failure";
        notified = true;
        rows.notifications.push(notification(mainId, lastId, "backup_failed", vet, submittedAt, t));
      } else {
        const submittedAtTime = t;
        const endStateAt = new Date(Math.min(t.getTime() + r.int(6, 140) * 3600 * 1000, now.getTime() - 60_000));
        const status = fate.end;
        lastId = attempt(status, {
          retry: fate.transientFirst ? 1 : 0,
          submittedAt: submittedAtTime,
          endStateAt,
          ...(fate.end === "error"
            ? { errorCode: "DOC202", errorMessage: "Upstream processing error: resubmit", transient: false }
            : {}),
        });
        rows.notifications.push(notification(mainId, lastId, "backup_in_progress", vet, submittedAt, submittedAtTime));
        latestStatus = status;
        if (fate.end === "error") state = "failed";
        else {
          state = "confirmed";
          succeeded = true;
          groupStatus = "processing";
          const day = submittedAtTime.toISOString().slice(0, 10);
          departures.set(day, (departures.get(day) ?? 0) + forms.length);
        }
      }
      attemptCount = attemptNumber;
      rows.backupSubmissions.push([submissionId, mainId, forms[0].type, latestStatus, null, t, t]);
      const itemState = state === "confirmed" ? "confirmed" : "failed";
      rows.batchItems.push([++ids.batchItem, batch.id, mainId, itemState, null, lastId, t]);
    }

    const blackHole = shownAsSuccess && !primaryNotice && !notified && !succeeded;
    rows.claimGroups.push([groupId, mainId, groupStatus]);
    for (const form of forms) {
      const id = ++ids.claim;
      rows.savedClaims.push([
        id,
        r.uuid(),
        form.type,
        form.data,
        vet.firstName,
        vet.lastName,
        vet.fileNumber,
        vet.fileNumber.padStart(4, "0").slice(-4),
        vet.address.zipCode,
        vet.email,
        submittedAt,
        groupId,
        mainId,
        duplicateOf,
        state,
        blackHole,
        notified,
        normaliseFailureMessage(message),
        attemptCount,
        latestStatus,
        latestBatchId,
      ]);
      rows.primarySubmissions.push([
        id,
        id,
        "failure",
        failure.errorClass,
        message,
        failedAt,
        shownAsSuccess,
        primaryNotice,
      ]);
    }
    if (attachments.length && r.chance(0.08)) {
      for (let k = 0; k < r.int(1, 2); k++) {
        const a = r.pick(attachments);
        rows.persistentAttachments.push([
          ++ids.attachment,
          mainId,
          a.fileName,
          a.contentType,
          a.storageKey,
          a.byteSize,
        ]);
      }
    }
    return { mainId, count: forms.length };
  }

  function notification(
    claimId: number,
    attemptId: number,
    template: string,
    vet: { firstName: string; email: string },
    submittedAt: Date,
    at: Date,
  ) {
    const personalisation: Record<string, string> = {
      first_name: vet.firstName.toUpperCase(),
      date_submitted: formatDate(submittedAt),
      confirmation_number: `claim-${claimId}`,
    };
    if (template === "backup_failed") personalisation.date_of_failure = formatDate(at);
    return [
      ++ids.notification,
      claimId,
      attemptId,
      template,
      vet.email,
      personalisation,
      "sent",
      `notify-${r.uuid()}`,
      1,
      at,
      at,
    ];
  }

  // One veteran: usually one claim; about 15% filed the same claim two or three times.
  function addVeteran(rows: SeedRows, index: number): number {
    const badFileNumber = r.chance(0.015);
    const vet = makeVeteran(r, index, { badFileNumber });
    const copies = r.chance(0.15) ? (r.chance(0.75) ? 2 : 3) : 1;
    const times = Array.from(
      { length: copies },
      () => new Date(START_2021 + Math.floor(r.next() * SPAN_2021_2022)),
    ).sort((a, b) => a.getTime() - b.getTime());
    // The newest claim stands for the others; the master list kept it.
    const newest = times.length - 1;
    let made = 0;
    // Write the newest first so its id is known to the older copies.
    const kept = addGroup(rows, vet, times[newest], null, badFileNumber);
    made += kept.count;
    for (let i = 0; i < newest; i++) made += addGroup(rows, vet, times[i], kept.mainId, badFileNumber).count;
    return made;
  }

  return { addVeteran, ids, departures };
}
