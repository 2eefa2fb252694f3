import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getCounters } from "@/db/queries/metrics";
import { backupAttempts, backupSubmissions, claimGroups, documents, notifications, savedClaims } from "@/db/schema";
import { pollStatuses } from "@/lib/backup/poll-statuses";
import { startBackup } from "@/lib/backup/start-backup";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { createClaimGroup, testVeteran } from "../support/claims-factory";
import { extractPdfText } from "../support/pdf-text";

// The backup flow end to end: real PostgreSQL, real pg-boss workers, the local Benefits Intake
// service over HTTP, real PDFs read back.

let h: BackupHarness;
let worker: Awaited<ReturnType<BackupHarness["startWorkers"]>>[number];

beforeAll(async () => {
  h = await startBackupHarness();
  [worker] = await h.startWorkers(1);
});
afterAll(async () => h?.stop());
beforeEach(async () => {
  await h.admin.reset();
});

const resubmit = (claimId: number, force = false) =>
  startBackup(h.db, { claimId, trigger: "user", userId: null, batchId: null, force });

async function settled(claimId: number) {
  return waitFor(`claim ${claimId} to settle`, async () => {
    const [s] = await h.db.select().from(backupSubmissions).where(eq(backupSubmissions.claimId, claimId));
    return s && s.inFlightSince === null ? s : null;
  });
}

const attemptsOf = (claimId: number) =>
  h.db
    .select()
    .from(backupAttempts)
    .where(eq(backupAttempts.claimId, claimId))
    .orderBy(asc(backupAttempts.attemptNumber));
const emailsOf = (claimId: number) => h.db.select().from(notifications).where(eq(notifications.claimId, claimId));
const sentEmails = (claimId: number, template: string) =>
  waitFor(`${template} e-mail for ${claimId}`, async () => {
    const rows = (await emailsOf(claimId)).filter((n) => n.template === template && n.status === "sent");
    return rows.length ? rows : null;
  });

describe("backup flow", () => {
  it("uploads a dependents group once, stamps every page, marks the group processing and e-mails once", async () => {
    const { mainClaimId, claimIds } = await createClaimGroup(h.db, { dependents: true, students: 2 });
    expect((await resubmit(mainClaimId)).started).toBe(true);
    const submission = await settled(mainClaimId);
    expect(submission.latestStatus).toBe("submitted");

    const [attempt] = await attemptsOf(mainClaimId);
    expect(attempt.status).toBe("submitted");
    expect(attempt.benefitsIntakeUuid).toBeTruthy();
    const claims = await h.db.select().from(savedClaims).where(eq(savedClaims.mainClaimId, mainClaimId));
    expect(claims.map((c) => c.triageState)).toEqual(claimIds.map(() => "submitted"));
    expect(claims.every((c) => !c.blackHole)).toBe(true);
    const [group] = await h.db.select().from(claimGroups).where(eq(claimGroups.id, claims[0].groupId));
    expect(group.status).toBe("processing");

    // One upload at the service, with the main 686c and the two 674s as attachments.
    const uploads = (await h.admin.uploads()).filter((u) => u.uuid === attempt.benefitsIntakeUuid);
    expect(uploads).toHaveLength(1);
    expect(uploads[0].acceptedPutCount).toBe(1);
    expect(uploads[0].metadata).toMatchObject({
      docType: "21-686C",
      businessLine: "CMP",
      source: "va.gov backup submission",
    });

    // The stored PDFs parse, and carry the stamps on every page.
    const docs = await h.db
      .select()
      .from(documents)
      .where(eq(documents.attemptId, attempt.id))
      .orderBy(asc(documents.position));
    expect(docs.map((d) => [d.role, d.formType])).toEqual([
      ["main", "21-686C"],
      ["attachment", "21-674"],
      ["attachment", "21-674"],
    ]);
    const storage = h.storage;
    for (const doc of docs) {
      const pages = await extractPdfText(await storage.read(doc.storageKey));
      expect(pages.length).toBe(doc.pageCount);
      for (const page of pages) {
        expect(page.text).toContain("VA.GOV 2022-06-14 03:12 PM UTC");
        expect(page.text).toContain("FDC Reviewed - VA.gov Submission");
      }
      if (doc.formType === "21-674") expect(pages[0].text).toContain("Application Submitted on va.gov");
    }

    const [email] = await sentEmails(mainClaimId, "backup_in_progress");
    expect(email.personalisation).toMatchObject({ first_name: "ALEX", date_submitted: "June 14, 2022" });
    const received = (await h.admin.notifications()).filter((n) => n.reference === `notification-${email.id}`);
    expect(received).toHaveLength(1);
  });

  it("retries a transient failure as a new attempt, then succeeds", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    await h.admin.faults({ nextFailures: [{ route: "upload", status: 503 }] });
    await resubmit(mainClaimId);
    await settled(mainClaimId);
    const attempts = await attemptsOf(mainClaimId);
    expect(attempts.map((a) => [a.status, a.transient, a.retryNumber, a.trigger])).toEqual([
      ["failure", true, 0, "user"],
      ["submitted", null, 1, "retry"],
    ]);
    expect(attempts[0].httpStatus).toBe(503);
    expect((await emailsOf(mainClaimId)).map((e) => e.template)).toEqual(["backup_in_progress"]);
  });

  it("honours Retry-After on a 429", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    await h.admin.faults({ nextFailures: [{ route: "create", status: 429, retryAfter: 3 }] });
    await resubmit(mainClaimId);
    await settled(mainClaimId);
    const [first, second] = await attemptsOf(mainClaimId);
    expect(first.httpStatus).toBe(429);
    expect(second.status).toBe("submitted");
    expect(second.startedAt.getTime() - first.finishedAt!.getTime()).toBeGreaterThanOrEqual(2_900);
  });

  it("ends a permanent 400 at once with the failure e-mail, counted as a silent failure avoided", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    await h.admin.faults({ nextFailures: [{ route: "create", status: 400, detail: "Bad request" }] });
    await resubmit(mainClaimId);
    await settled(mainClaimId);
    const attempts = await attemptsOf(mainClaimId);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: "failure", transient: false, httpStatus: 400 });
    const [email] = await sentEmails(mainClaimId, "backup_failed");
    expect(email.personalisation.date_of_failure).toBeTruthy();
    const [claim] = await h.db.select().from(savedClaims).where(eq(savedClaims.id, mainClaimId));
    expect(claim).toMatchObject({ triageState: "failed", failureNotified: true, blackHole: false });
  });

  it("stops a claim whose metadata can never pass before asking for an upload", async () => {
    const { mainClaimId } = await createClaimGroup(h.db, { veteran: testVeteran({ fileNumber: "1234" }) });
    await resubmit(mainClaimId);
    await settled(mainClaimId);
    const [attempt] = await attemptsOf(mainClaimId);
    expect(attempt).toMatchObject({
      status: "failure",
      transient: false,
      errorClass: "MetadataInvalid",
      benefitsIntakeUuid: null,
    });
    expect(attempt.errorMessage).toMatch(/file number/i);
    await sentEmails(mainClaimId, "backup_failed");
  });

  it("a claim without main_claim_id is its own main claim: found by its job, uploaded once, then submitted", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    await h.db.update(savedClaims).set({ mainClaimId: null }).where(eq(savedClaims.id, mainClaimId));
    expect((await resubmit(mainClaimId)).started).toBe(true);
    const [during] = await h.db.select().from(savedClaims).where(eq(savedClaims.id, mainClaimId));
    expect(["in_progress", "submitted"]).toContain(during.triageState); // the worker may be done already
    await settled(mainClaimId);
    expect((await attemptsOf(mainClaimId)).map((a) => a.status)).toEqual(["submitted"]);
    const [after] = await h.db.select().from(savedClaims).where(eq(savedClaims.id, mainClaimId));
    expect(after.triageState).toBe("submitted");
    expect(await resubmit(mainClaimId)).toEqual({ claimId: mainClaimId, started: false, reason: "already_submitted" });
  });

  it("skips a claim already submitted unless forced, and records why", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    await resubmit(mainClaimId);
    await settled(mainClaimId);
    expect(await resubmit(mainClaimId)).toEqual({ claimId: mainClaimId, started: false, reason: "already_submitted" });
    expect((await resubmit(mainClaimId, true)).started).toBe(true);
    await settled(mainClaimId);
    const attempts = await attemptsOf(mainClaimId);
    expect(attempts.map((a) => [a.status, a.forced])).toEqual([
      ["submitted", false],
      ["submitted", true],
    ]);
  });

  it("gives up after 16 transient failures, then sends the failure e-mail", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    await h.admin.faults({
      nextFailures: Array.from({ length: 17 }, () => ({ route: "create" as const, status: 503 })),
    });
    await resubmit(mainClaimId);
    await settled(mainClaimId);
    const attempts = await attemptsOf(mainClaimId);
    expect(attempts).toHaveLength(17);
    expect(attempts.map((a) => a.retryNumber)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    expect(attempts.every((a) => a.status === "failure")).toBe(true);
    expect(attempts[16].errorMessage).toMatch(/retries exhausted/);
    await sentEmails(mainClaimId, "backup_failed");
    const uploads = await h.admin.uploads();
    expect(uploads.filter((u) => u.acceptedPutCount > 0)).toHaveLength(0);
  }, 120_000);

  it("reads the stored file back byte for byte (content-addressed)", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    await resubmit(mainClaimId);
    await settled(mainClaimId);
    const [attempt] = await attemptsOf(mainClaimId);
    const [doc] = await h.db
      .select()
      .from(documents)
      .where(and(eq(documents.attemptId, attempt.id), eq(documents.role, "main")));
    const bytes = await h.storage.read(doc.storageKey);
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(doc.sha256);
  });

  it("polls each upload to its end state: vbms confirms, error and expired go back to triage, counted", async () => {
    const [toVbms, toError, toExpired] = [
      await createClaimGroup(h.db),
      await createClaimGroup(h.db),
      await createClaimGroup(h.db),
    ];
    await h.admin.faults({
      nextFailures: [
        { route: "upload", endState: "error" },
        { route: "upload", endState: "expired" },
      ],
    });
    // One at a time, so the scripted end states land on the claims meant for them.
    for (const claim of [toError, toExpired, toVbms]) {
      await resubmit(claim.mainClaimId);
      await settled(claim.mainClaimId);
    }
    const before = await getCounters(h.db);
    const returnedBefore = before
      .filter((c) => c.name === "claim_triage_returned_to_triage_total")
      .reduce((n, c) => n + c.value, 0);

    await waitFor("end states", async () => {
      await pollStatuses(worker.deps);
      const states = await h.db
        .select({ id: savedClaims.id, state: savedClaims.triageState })
        .from(savedClaims)
        .where(inArray(savedClaims.id, [toVbms.mainClaimId, toError.mainClaimId, toExpired.mainClaimId]));
      const byId = new Map(states.map((s) => [s.id, s.state]));
      return (
        byId.get(toVbms.mainClaimId) === "confirmed" &&
        byId.get(toError.mainClaimId) === "failed" &&
        byId.get(toExpired.mainClaimId) === "failed"
      );
    });
    const [vbms] = await attemptsOf(toVbms.mainClaimId);
    const [error] = await attemptsOf(toError.mainClaimId);
    const [expired] = await attemptsOf(toExpired.mainClaimId);
    expect(vbms).toMatchObject({ status: "vbms" });
    expect(vbms.endStateAt).toBeTruthy();
    expect(error).toMatchObject({ status: "error", transient: false });
    expect(error.errorCode).toMatch(/^DOC/);
    expect(expired.status).toBe("expired");
    // Not received by VA after all: the veteran is told, so neither is a silent failure.
    for (const claim of [toError, toExpired]) {
      await waitFor("the failure e-mail", async () =>
        (await emailsOf(claim.mainClaimId)).some((e) => e.template === "backup_failed" && e.status === "sent"),
      );
      const [row] = await h.db
        .select({ notified: savedClaims.failureNotified })
        .from(savedClaims)
        .where(eq(savedClaims.id, claim.mainClaimId));
      expect(row.notified).toBe(true);
    }
    expect((await emailsOf(toVbms.mainClaimId)).map((e) => e.template)).toEqual(["backup_in_progress"]);
    const after = await getCounters(h.db);
    const returnedAfter = after
      .filter((c) => c.name === "claim_triage_returned_to_triage_total")
      .reduce((n, c) => n + c.value, 0);
    // At least these two (uploads of earlier tests, forgotten by the reset service, may join them).
    expect(returnedAfter - returnedBefore).toBeGreaterThanOrEqual(2);
    // Back in triage, not in flight: a person resubmits them.
    expect((await resubmit(toError.mainClaimId)).started).toBe(true);
    await settled(toError.mainClaimId);
  });
});
