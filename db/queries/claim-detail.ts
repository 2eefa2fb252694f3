import { and, asc, desc, eq, ne, or, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import {
  backupAttempts,
  backupSubmissions,
  batches,
  claimGroups,
  documents,
  notifications,
  primarySubmissions,
  savedClaims,
  users,
} from "../schema";

// Everything the claim page shows, in a handful of indexed queries. The backup history belongs to
// the main claim (a 674's backup is its 686c's), so attempts, documents and e-mails are read for it.

export async function getClaimDetail(db: DbOrTx, claimId: number) {
  const [claim] = await db
    .select({
      id: savedClaims.id,
      guid: savedClaims.guid,
      formType: savedClaims.formType,
      veteranFirstName: savedClaims.veteranFirstName,
      veteranLastName: savedClaims.veteranLastName,
      fileNumber: savedClaims.fileNumber,
      zipCode: savedClaims.zipCode,
      email: savedClaims.email,
      submittedAt: savedClaims.submittedAt,
      groupId: savedClaims.groupId,
      mainClaimId: savedClaims.mainClaimId,
      duplicateOf: savedClaims.duplicateOf,
      triageState: savedClaims.triageState,
      blackHole: savedClaims.blackHole,
      failureNotified: savedClaims.failureNotified,
      failureReason: savedClaims.failureReason,
      attemptCount: savedClaims.attemptCount,
      latestAttemptStatus: savedClaims.latestAttemptStatus,
      latestBatchId: savedClaims.latestBatchId,
      excludedReason: savedClaims.excludedReason,
      createdAt: savedClaims.createdAt,
      updatedAt: savedClaims.updatedAt,
    })
    .from(savedClaims)
    .where(eq(savedClaims.id, claimId));
  if (!claim) return null;
  const mainClaimId = claim.mainClaimId ?? claim.id;

  // Other claims of the same veteran: same file number, or linked by duplicate_of either way.
  const sameVeteran: SQL[] = [eq(savedClaims.fileNumber, claim.fileNumber), eq(savedClaims.duplicateOf, mainClaimId)];
  if (claim.duplicateOf) sameVeteran.push(eq(savedClaims.id, claim.duplicateOf));

  const [group, groupClaims, primary, duplicates, submission, attempts, attemptDocuments, emails] = await Promise.all([
    db
      .select()
      .from(claimGroups)
      .where(eq(claimGroups.id, claim.groupId))
      .then((r) => r[0] ?? null),
    db
      .select({
        id: savedClaims.id,
        formType: savedClaims.formType,
        triageState: savedClaims.triageState,
        mainClaimId: savedClaims.mainClaimId,
      })
      .from(savedClaims)
      .where(eq(savedClaims.groupId, claim.groupId))
      .orderBy(asc(savedClaims.id)),
    db
      .select()
      .from(primarySubmissions)
      .where(eq(primarySubmissions.claimId, claim.id))
      .then((r) => r[0] ?? null),
    db
      .select({
        id: savedClaims.id,
        formType: savedClaims.formType,
        submittedAt: savedClaims.submittedAt,
        triageState: savedClaims.triageState,
        duplicateOf: savedClaims.duplicateOf,
        mainClaimId: savedClaims.mainClaimId,
      })
      .from(savedClaims)
      .where(and(or(...sameVeteran), ne(savedClaims.groupId, claim.groupId)))
      .orderBy(desc(savedClaims.submittedAt))
      .limit(50),
    db
      .select()
      .from(backupSubmissions)
      .where(eq(backupSubmissions.claimId, mainClaimId))
      .then((r) => r[0] ?? null),
    db
      .select({
        id: backupAttempts.id,
        attemptNumber: backupAttempts.attemptNumber,
        retryNumber: backupAttempts.retryNumber,
        status: backupAttempts.status,
        benefitsIntakeUuid: backupAttempts.benefitsIntakeUuid,
        errorClass: backupAttempts.errorClass,
        errorCode: backupAttempts.errorCode,
        errorMessage: backupAttempts.errorMessage,
        httpStatus: backupAttempts.httpStatus,
        transient: backupAttempts.transient,
        trigger: backupAttempts.trigger,
        forced: backupAttempts.forced,
        batchId: backupAttempts.batchId,
        batchName: batches.name,
        triggeredByName: users.name,
        startedAt: backupAttempts.startedAt,
        submittedAt: backupAttempts.submittedAt,
        finishedAt: backupAttempts.finishedAt,
        endStateAt: backupAttempts.endStateAt,
        lastPolledAt: backupAttempts.lastPolledAt,
      })
      .from(backupAttempts)
      .leftJoin(users, eq(users.id, backupAttempts.triggeredByUserId))
      .leftJoin(batches, eq(batches.id, backupAttempts.batchId))
      .where(eq(backupAttempts.claimId, mainClaimId))
      .orderBy(desc(backupAttempts.attemptNumber)),
    db
      .select({
        id: documents.id,
        attemptId: documents.attemptId,
        role: documents.role,
        position: documents.position,
        formType: documents.formType,
        fileName: documents.fileName,
        byteSize: documents.byteSize,
        pageCount: documents.pageCount,
        createdAt: documents.createdAt,
      })
      .from(documents)
      .where(eq(documents.claimId, mainClaimId))
      .orderBy(asc(documents.attemptId), asc(documents.position)),
    db
      .select({
        id: notifications.id,
        attemptId: notifications.attemptId,
        template: notifications.template,
        recipient: notifications.recipient,
        status: notifications.status,
        tries: notifications.tries,
        lastError: notifications.lastError,
        createdAt: notifications.createdAt,
        sentAt: notifications.sentAt,
      })
      .from(notifications)
      .where(eq(notifications.claimId, mainClaimId))
      .orderBy(desc(notifications.createdAt)),
  ]);

  return {
    claim,
    mainClaimId,
    group,
    groupClaims,
    primary,
    duplicates,
    submission,
    attempts,
    documents: attemptDocuments,
    notifications: emails,
  };
}

// The documents a download may stream: one document, every document of an attempt, or of a claim's backups.
export async function getDocumentsFor(
  db: DbOrTx,
  target: { documentId: number } | { attemptId: number } | { claimId: number },
) {
  const where =
    "documentId" in target
      ? eq(documents.id, target.documentId)
      : "attemptId" in target
        ? eq(documents.attemptId, target.attemptId)
        : eq(documents.claimId, target.claimId);
  return db
    .select({
      id: documents.id,
      attemptId: documents.attemptId,
      attemptNumber: backupAttempts.attemptNumber,
      claimId: documents.claimId,
      fileName: documents.fileName,
      byteSize: documents.byteSize,
      storageKey: documents.storageKey,
      position: documents.position,
    })
    .from(documents)
    .innerJoin(backupAttempts, eq(backupAttempts.id, documents.attemptId))
    .where(where)
    .orderBy(asc(backupAttempts.attemptNumber), asc(documents.position))
    .limit(2_000);
}

export async function getMainClaimId(db: DbOrTx, claimId: number): Promise<number | null> {
  const [row] = await db
    .select({ id: savedClaims.id, mainClaimId: savedClaims.mainClaimId })
    .from(savedClaims)
    .where(eq(savedClaims.id, claimId));
  return row ? (row.mainClaimId ?? row.id) : null;
}
