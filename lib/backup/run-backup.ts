import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getBackupGroup, getLatestAttempt, getPendingAttempt } from "@/db/queries/backups";
import { backupAttempts, backupSubmissions, documents } from "@/db/schema";
import type { BenefitsIntakeClient } from "../benefits-intake/client";
import { classifyError } from "../benefits-intake/errors";
import { buildMetadata } from "../benefits-intake/metadata";
import type { FormType } from "../benefits-intake/types";
import type { BackupClaimPayload } from "../jobs/backup-claim";
import { log } from "../log";
import type { PackageDocument, StoredPackageDocument, StoringClaimPackage } from "../pdf/claim-package";
import { isPdfInputError } from "../pdf/errors";
import { withEvidence } from "../pdf/evidence-files";
import { buildClaimPackageBounded } from "../pdf/package-pool";
import type { DocumentStorage } from "../pdf/storage";
import { type AttemptFailure, outcomeClaimOf, recordFailure, recordSubmitted } from "./outcomes";

// The backup flow for one claim (docs/design.md §4; the same steps as VA.gov's dependents backup job), step by step. Every step that writes does
// so in its own transaction with the state it belongs to, so a crash at any point leaves a pending
// attempt that the next run picks up: if the upload may have started, Benefits Intake is asked what
// arrived before anything is sent again.

export type BackupDeps = {
  db: Db;
  benefitsIntake: BenefitsIntakeClient;
  storage: DocumentStorage;
  maxRetries: number;
  retryTimeFactor: number;
  locationTtlMs: number;
};

type Attempt = typeof backupAttempts.$inferSelect;

export async function runBackup(
  deps: BackupDeps,
  payload: BackupClaimPayload,
): Promise<"submitted" | "failed" | "retrying" | "skipped"> {
  const { db } = deps;
  const group = await getBackupGroup(db, payload.claimId);
  if (!group) {
    log.warn({ claimId: payload.claimId }, "backup job for an unknown claim: nothing to do");
    return "skipped";
  }

  // Step 1: the submission and the attempt (or the attempt a crashed run left behind).
  const opened = await openAttempt(db, payload);
  if (!opened) return "skipped";
  const { attempt } = opened;
  const ctx = {
    db,
    payload,
    attemptId: attempt.id,
    claim: outcomeClaimOf(group),
    maxRetries: deps.maxRetries,
    retryTimeFactor: deps.retryTimeFactor,
  };
  const fail = async (failure: AttemptFailure) => {
    await recordFailure(ctx, failure);
    return failure.kind === "permanent" || payload.retryNumber >= deps.maxRetries
      ? ("failed" as const)
      : ("retrying" as const);
  };

  if (attempt.uploadStartedAt && attempt.benefitsIntakeUuid) {
    const landed = await uploadLanded(deps, attempt.benefitsIntakeUuid);
    if (landed === "yes") {
      await recordSubmitted(ctx);
      return "submitted";
    }
    if (landed === "unknown")
      return fail({
        kind: "transient",
        errorClass: UPLOAD_STATE_UNKNOWN,
        message: "could not confirm whether an interrupted upload arrived",
      });
  }

  // Step 2: metadata first: a claim that can never pass is stopped before any upload is asked for.
  const metadata = buildMetadata({
    veteranFirstName: group.main.veteranFirstName,
    veteranLastName: group.main.veteranLastName,
    fileNumber: group.main.fileNumber,
    zipCode: group.main.zipCode,
    formType: group.main.formType as FormType,
    submittedAt: group.main.submittedAt,
  });
  if (!metadata.ok) {
    await db
      .update(backupAttempts)
      .set({ metadata: { ...metadata.metadata } })
      .where(eq(backupAttempts.id, attempt.id));
    return fail({
      kind: "permanent",
      errorClass: "MetadataInvalid",
      code: "DOC102",
      message: `metadata Benefits Intake would reject: ${metadata.problems.join("; ")}`,
    });
  }

  // Step 3: the PDFs, rendered and stamped, stored content-addressed and recorded.
  let pkg: StoringClaimPackage;
  try {
    const claims = group.claims.map((c) => ({
      id: c.id,
      guid: c.guid,
      formType: c.formType,
      formData: c.formData,
      submittedAt: c.submittedAt,
      isGroupParent: c.id === group.main.id,
    }));
    // In a PDF thread with a heap and time limit: a hostile evidence file fails this claim only.
    // Large evidence is read from its file there and goes into storage as it is saved, never whole.
    pkg = await withEvidence(deps.storage, group.attachments, (attachments) =>
      buildClaimPackageBounded({ claims, attachments }, (chunks) => deps.storage.putStream(chunks)),
    );
  } catch (e) {
    // Unreadable evidence, evidence past the limits, an unknown form: the same input fails the
    // same way on every try.
    if (isPdfInputError(e) || (e instanceof Error && (e as { permanent?: boolean }).permanent === true)) {
      return fail({ kind: "permanent", errorClass: "PdfGenerationError", message: (e as Error).message });
    }
    throw e; // unexpected: the job is retried by the queue, the attempt stays pending
  }
  await recordDocuments(deps, opened, pkg);

  // Step 4: an upload location; a fresh one unless ours is still well inside its 900 s.
  const issued = attempt.locationIssuedAt?.getTime() ?? 0;
  const reusable =
    attempt.benefitsIntakeUuid && Date.now() - issued <= deps.locationTtlMs * 0.8 ? attempt.uploadLocation : null;
  const fresh = !reusable; // needs a new location
  let location = reusable;
  if (!location) {
    let created: Awaited<ReturnType<BenefitsIntakeClient["createUpload"]>>;
    try {
      created = await deps.benefitsIntake.createUpload();
    } catch (e) {
      return fail(asFailure(e));
    }
    location = created.location;
    attempt.benefitsIntakeUuid = created.uuid;
  }
  // The upload follows at once, so it is marked started here: a crash from now on is checked with
  // Benefits Intake before anything is sent again.
  const newLocation = {
    benefitsIntakeUuid: attempt.benefitsIntakeUuid,
    uploadLocation: location,
    locationIssuedAt: sql`now()`,
  };
  await db
    .update(backupAttempts)
    .set({ ...(fresh ? newLocation : {}), uploadStartedAt: sql`now()`, metadata: { ...metadata.metadata } })
    .where(eq(backupAttempts.id, attempt.id));

  // Step 5: the upload (marked started above, so a crash during the PUT is checked, not repeated blindly).
  try {
    await deps.benefitsIntake.uploadPackage(location, {
      metadata: metadata.metadata,
      content: { fileName: pkg.main.fileName, bytes: pkg.main.bytes },
      // A document held in memory is sent from there; a stored one is read back as it is sent.
      attachments: pkg.attachments.map(({ fileName, ...a }) =>
        "bytes" in a
          ? { fileName, bytes: a.bytes }
          : { fileName, byteLength: a.stored.byteSize, open: () => deps.storage.stream(a.stored.storageKey) },
      ),
    });
  } catch (e) {
    const failure = asFailure(e);
    // A time-out or a dropped connection may hide an upload that arrived: ask before retrying. So
    // may a refusal of a location an earlier run already sent to ("already used": that upload
    // arrived after we last asked), which is no reason to fail the claim.
    if (failure.kind === "transient" || !fresh) {
      const landed = await uploadLanded(deps, attempt.benefitsIntakeUuid!);
      if (landed === "yes") {
        await recordSubmitted(ctx);
        return "submitted";
      }
      // Benefits Intake could not be asked (down, unreachable): the upload may have arrived. Not a
      // plain failure, or the retry would upload again (found by backup-faults.test.ts: claims
      // uploaded twice when Benefits Intake went away mid-upload). openAttempt carries it forward.
      if (landed === "unknown" && failure.kind === "transient")
        return fail({
          ...failure,
          errorClass: UPLOAD_STATE_UNKNOWN,
          message: `${failure.message}; could not confirm whether the upload arrived`,
        });
    }
    return fail(failure);
  }

  // Step 6: success.
  await recordSubmitted(ctx);
  return "submitted";
}

// An attempt that ended not knowing whether its upload arrived.
const UPLOAD_STATE_UNKNOWN = "UploadStateUnknown";

function asFailure(e: unknown): AttemptFailure {
  const err = classifyError(e);
  return {
    kind: err.kind,
    errorClass: err.name,
    message: err.detail,
    code: err.code,
    httpStatus: err.httpStatus,
    retryAfterMs: err.retryAfterMs,
  };
}

async function uploadLanded(deps: BackupDeps, uuid: string): Promise<"yes" | "no" | "unknown"> {
  try {
    const status = await deps.benefitsIntake.getUploadStatus(uuid);
    return status.status === "pending" || status.status === "expired" ? "no" : "yes";
  } catch {
    return "unknown";
  }
}

// Resume the pending attempt a crashed run left, or create the next one. Null when the claim's
// backup is no longer in flight (cancelled, or finished by another run). Statements that do not
// depend on each other are sent together (postgres.js pipelines them on the transaction's
// connection): on this path a round trip to PostgreSQL costs more than the statement itself.
async function openAttempt(
  db: Db,
  payload: BackupClaimPayload,
): Promise<{ attempt: Attempt; resumed: boolean } | null> {
  return db.transaction(async (tx) => {
    // The row lock comes first in the pipeline, so the two reads after it see the settled state.
    const [[submission], pending, latest] = await Promise.all([
      tx.select().from(backupSubmissions).where(eq(backupSubmissions.claimId, payload.claimId)).for("update"),
      getPendingAttempt(tx, payload.claimId),
      getLatestAttempt(tx, payload.claimId),
    ]);
    const attemptNumber = (latest?.attemptNumber ?? 0) + 1;
    // An upload the last attempt could not confirm or rule out is this attempt's too: it starts as a
    // resumed one, asking Benefits Intake about that upload before it sends anything again.
    const unconfirmed =
      latest?.errorClass === UPLOAD_STATE_UNKNOWN && latest.benefitsIntakeUuid
        ? {
            benefitsIntakeUuid: latest.benefitsIntakeUuid,
            uploadLocation: latest.uploadLocation,
            locationIssuedAt: latest.locationIssuedAt,
            uploadStartedAt: latest.uploadStartedAt,
          }
        : {};
    if (!submission?.inFlightSince) {
      log.info({ claimId: payload.claimId }, "backup no longer in flight; job skipped");
      return null;
    }
    if (pending) return { attempt: pending, resumed: true };
    const [[created]] = await Promise.all([
      tx
        .insert(backupAttempts)
        .values({
          submissionId: submission.id,
          claimId: payload.claimId,
          attemptNumber,
          retryNumber: payload.retryNumber,
          trigger: payload.trigger,
          triggeredByUserId: payload.userId,
          batchId: payload.batchId,
          forced: payload.force,
          ...unconfirmed,
        })
        .returning(),
      tx
        .update(backupSubmissions)
        .set({ latestStatus: "pending", updatedAt: sql`now()` })
        .where(eq(backupSubmissions.id, submission.id)),
      // The claims' triage row is left alone until the attempt ends (outcomes.ts counts it then):
      // the row carries many list indexes, and it already reads "in flight".
    ]);
    return { attempt: created, resumed: false };
  });
}

async function recordDocuments(
  deps: BackupDeps,
  opened: { attempt: Attempt; resumed: boolean },
  pkg: StoringClaimPackage,
) {
  const { attempt } = opened;
  const docs: (PackageDocument | StoredPackageDocument)[] = [pkg.main, ...pkg.attachments];
  const stored = await Promise.all(docs.map((d) => ("bytes" in d ? deps.storage.put(d.bytes) : d.stored)));
  const rows = docs.map((d, i) => ({
    attemptId: attempt.id,
    claimId: attempt.claimId,
    role: d.role,
    position: i,
    formType: d.formType,
    fileName: d.fileName,
    byteSize: stored[i].byteSize,
    pageCount: d.pageCount,
    sha256: stored[i].sha256,
    storageKey: stored[i].storageKey,
  }));
  if (!opened.resumed) {
    await deps.db.insert(documents).values(rows);
    return;
  }
  // A resumed attempt rebuilt its files: keep one record per position.
  await deps.db.transaction(async (tx) => {
    await tx.delete(documents).where(eq(documents.attemptId, attempt.id));
    await tx.insert(documents).values(rows);
  });
}
