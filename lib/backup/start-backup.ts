import { sql } from "drizzle-orm";
import { idArray } from "@/db/bind-array";
import type { Db, DbOrTx } from "@/db/client";
import { carriedBy } from "@/db/queries/backups";
import type { TriageState } from "@/db/schema/enums";
import { type BackupClaimPayload, enqueueBackups } from "../jobs/backup-claim";
import { claimSkipReason, type SkipReason } from "./rules";

// The one door into the backup flow. Whoever asks (a triager, a batch, an import), a claim gets at
// most one backup in flight: taking the in-flight slot and enqueueing the job happen in one
// transaction, so two callers racing for the same claim produce one job and one "skipped".
// Claims are taken in sets (a batch tick starts hundreds at once) in a handful of statements.
// Which claims may start is rules.ts's to say: their state here, their in-flight slot by taking it.

export type StartOutcome = { claimId: number; started: true } | { claimId: number; started: false; reason: SkipReason };
export type StartRequest = Omit<BackupClaimPayload, "retryNumber" | "claimId">;

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

// Outcomes are per main claim (a 674 asked for is answered by its 686c's backup).
export async function startBackupsInTransaction(
  tx: DbOrTx,
  claimIds: number[],
  request: StartRequest,
): Promise<StartOutcome[]> {
  if (claimIds.length === 0) return [];
  const found = rowsOf<{ id: string; main_id: string; state: TriageState; waiting_for: string | null }>(
    await tx.execute(sql`
      select c.id, m.id as main_id, m.triage_state as state, m.waiting_for
      from saved_claims c join saved_claims m on m.id = coalesce(c.main_claim_id, c.id)
      where c.id = any(${idArray(claimIds)})`),
  );
  const outcomes = new Map<number, StartOutcome>();
  const known = new Set(found.map((r) => Number(r.id)));
  for (const id of claimIds)
    if (!known.has(id)) outcomes.set(id, { claimId: id, started: false, reason: "unknown_claim" });

  const candidates = new Set<number>(); // main claims
  for (const r of found) {
    const main = Number(r.main_id);
    const reason = claimSkipReason({ triageState: r.state, waitingFor: r.waiting_for }, request.force);
    if (reason) outcomes.set(main, { claimId: main, started: false, reason });
    else candidates.add(main);
  }
  if (candidates.size === 0) return [...outcomes.values()];

  const mains = idArray([...candidates]);
  await tx.execute(sql`
    insert into backup_submissions (claim_id, form_type)
    select c.id, c.form_type from saved_claims c where c.id = any(${mains})
    on conflict (claim_id) do nothing`);
  const taken = rowsOf<{ claim_id: string }>(
    await tx.execute(sql`
      update backup_submissions set in_flight_since = now(), in_flight_batch_id = ${request.batchId}, updated_at = now()
      where claim_id = any(${mains}) and in_flight_since is null
      returning claim_id`),
  ).map((r) => Number(r.claim_id));
  for (const main of candidates) outcomes.set(main, { claimId: main, started: false, reason: "already_in_flight" });
  if (taken.length === 0) return [...outcomes.values()];

  // Read again now that the slots are ours: a run that finished while we were deciding committed
  // its outcome before it let go of the slot, and this fresh read sees it. The lock keeps an
  // admin's exclusion from slipping in between this read and the state change below.
  const fresh = rowsOf<{ id: string; state: TriageState; waiting_for: string | null }>(
    await tx.execute(sql`
      select id, triage_state as state, waiting_for from saved_claims
      where id = any(${idArray(taken)}) order by id for update`),
  );
  const started: number[] = [];
  const release: number[] = [];
  for (const r of fresh) {
    const id = Number(r.id);
    const reason = claimSkipReason({ triageState: r.state, waitingFor: r.waiting_for }, request.force);
    if (reason) {
      release.push(id);
      outcomes.set(id, { claimId: id, started: false, reason });
    } else {
      started.push(id);
      outcomes.set(id, { claimId: id, started: true });
    }
  }
  if (release.length) {
    await tx.execute(
      sql`update backup_submissions set in_flight_since = null, in_flight_batch_id = null
        where claim_id = any(${idArray(release)})`,
    );
  }
  if (started.length) {
    await tx.execute(sql`
      update saved_claims set triage_state = 'in_progress', updated_at = now()
        ${request.batchId ? sql`, latest_batch_id = ${request.batchId}` : sql``}
      where ${carriedBy(started)}`);
    await enqueueBackups(
      tx,
      started.map((claimId) => ({ ...request, claimId, retryNumber: 0 })),
    );
  }
  return [...outcomes.values()];
}

export async function startBackupInTransaction(
  tx: DbOrTx,
  request: StartRequest & { claimId: number },
): Promise<StartOutcome> {
  const { claimId, ...rest } = request;
  const outcomes = await startBackupsInTransaction(tx, [claimId], rest);
  return outcomes[0];
}

export async function startBackup(db: Db, request: StartRequest & { claimId: number }): Promise<StartOutcome> {
  return db.transaction((tx) => startBackupInTransaction(tx, request));
}
