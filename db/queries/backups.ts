import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { idArray } from "../bind-array";
import type { DbOrTx } from "../client";
import { backupAttempts, backupSubmissions, persistentAttachments, savedClaims } from "../schema";
import type { TriageState } from "../schema/enums";

// The claims main claims carry: those naming one as their main claim, and a main claim itself when
// it names none. A claim without main_claim_id is its own main claim everywhere (the list, the dry
// run and the start read coalesce(main_claim_id, id)); the backup's reads and writes must agree, or
// such a claim is started, then never found by its job, and stays never tried once uploaded.
export function carriedBy(mainClaimIds: readonly number[]) {
  const ids = idArray(mainClaimIds);
  return sql`(${savedClaims.mainClaimId} = any(${ids}) or (${savedClaims.mainClaimId} is null and ${savedClaims.id} = any(${ids})))`;
}

// The claim the backup carries (a 526EZ, or a 686c with its 674s), with the evidence files of every
// claim in it: a source may file evidence with a 674, and it travels in its 686c's one upload. The
// main claim's files come first, then each 674's, in the order they were received.
export async function getBackupGroup(db: DbOrTx, mainClaimId: number) {
  const inGroup = db
    .select({ id: savedClaims.id })
    .from(savedClaims)
    .where(carriedBy([mainClaimId]));
  const [claims, attachments] = await Promise.all([
    db
      .select()
      .from(savedClaims)
      .where(carriedBy([mainClaimId]))
      .orderBy(asc(savedClaims.id)),
    db
      .select()
      .from(persistentAttachments)
      .where(inArray(persistentAttachments.claimId, inGroup))
      .orderBy(
        sql`${persistentAttachments.claimId} <> ${mainClaimId}`,
        asc(persistentAttachments.claimId),
        asc(persistentAttachments.id),
      ),
  ]);
  const main = claims.find((c) => c.id === mainClaimId);
  if (!main) return null;
  return { main, claims, attachments };
}

export async function releaseInFlightSlot(
  db: DbOrTx,
  claimId: number,
  latestStatus?: (typeof backupAttempts.$inferSelect)["status"],
) {
  await db
    .update(backupSubmissions)
    .set({
      inFlightSince: null,
      inFlightBatchId: null,
      ...(latestStatus ? { latestStatus } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(backupSubmissions.claimId, claimId));
}

export async function getPendingAttempt(db: DbOrTx, claimId: number) {
  const [row] = await db
    .select()
    .from(backupAttempts)
    .where(and(eq(backupAttempts.claimId, claimId), eq(backupAttempts.status, "pending")));
  return row ?? null;
}

export async function getLatestAttempt(db: DbOrTx, claimId: number) {
  const [row] = await db
    .select()
    .from(backupAttempts)
    .where(eq(backupAttempts.claimId, claimId))
    .orderBy(desc(backupAttempts.attemptNumber))
    .limit(1);
  return row ?? null;
}

// The triage read model of every claim the backup carries.
export async function setGroupTriage(
  db: DbOrTx,
  mainClaimId: number,
  patch: {
    triageState?: TriageState;
    blackHole?: boolean;
    failureNotified?: boolean;
    latestAttemptStatus?: string;
    latestBatchId?: number | null;
    attemptCountDelta?: number;
  },
) {
  await db
    .update(savedClaims)
    .set({
      ...(patch.triageState ? { triageState: patch.triageState } : {}),
      ...(patch.blackHole !== undefined ? { blackHole: patch.blackHole } : {}),
      ...(patch.failureNotified !== undefined ? { failureNotified: patch.failureNotified } : {}),
      ...(patch.latestAttemptStatus ? { latestAttemptStatus: patch.latestAttemptStatus } : {}),
      ...(patch.latestBatchId !== undefined ? { latestBatchId: patch.latestBatchId } : {}),
      ...(patch.attemptCountDelta
        ? { attemptCount: sql`${savedClaims.attemptCount} + ${patch.attemptCountDelta}` }
        : {}),
      updatedAt: sql`now()`,
    })
    .where(carriedBy([mainClaimId]));
}

// Submitted uploads whose end state is not known yet, least recently asked first.
export async function getAttemptsToPoll(db: DbOrTx, limit: number) {
  return db
    .select({
      id: backupAttempts.id,
      claimId: backupAttempts.claimId,
      uuid: backupAttempts.benefitsIntakeUuid,
      status: backupAttempts.status,
      submittedAt: backupAttempts.submittedAt,
      batchId: backupAttempts.batchId,
    })
    .from(backupAttempts)
    .where(
      and(
        inArray(backupAttempts.status, ["submitted", "success"]),
        sql`${backupAttempts.benefitsIntakeUuid} is not null`,
      ),
    )
    .orderBy(sql`${backupAttempts.lastPolledAt} asc nulls first`)
    .limit(limit);
}
