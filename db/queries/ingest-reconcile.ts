import { sql } from "drizzle-orm";
import { idArray } from "../bind-array";
import type { DbOrTx } from "../client";
import type { TriageState } from "../schema/enums";

// Reconciliation's reads and writes (lib/ingest/reconcile.ts decides), and what the claim page and
// the Sources page read of it.

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

export type ReconcileOutcome = "resolved_elsewhere" | "conflict" | "noted";
export type ReconcileTarget = {
  claimId: number;
  triageState: TriageState;
  // A backup of its main claim is queued, running or waiting to retry.
  inFlight: boolean;
  // Excluded with the very reason ingest wrote last time (not by an admin).
  excludedByIngest: boolean;
};

export async function getReconcileTargets(
  tx: DbOrTx,
  claims: readonly { claimId: number; previousParkedReason: string | null }[],
): Promise<Map<number, ReconcileTarget>> {
  if (claims.length === 0) return new Map();
  const rows = rowsOf<{ id: string; triage_state: TriageState; in_flight: boolean; excluded_by_ingest: boolean }>(
    await tx.execute(sql`
      select c.id, c.triage_state, bs.in_flight_since is not null as in_flight,
        coalesce(c.triage_state = 'excluded' and c.excluded_reason = r.previous, false) as excluded_by_ingest
      from unnest(${idArray(claims.map((c) => c.claimId))}, ${sql.param(claims.map((c) => c.previousParkedReason))}::text[])
        as r(claim_id, previous)
        join saved_claims c on c.id = r.claim_id
        left join backup_submissions bs on bs.claim_id = coalesce(c.main_claim_id, c.id)
      for update of c`),
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        claimId: Number(r.id),
        triageState: r.triage_state,
        inFlight: r.in_flight,
        excludedByIngest: r.excluded_by_ingest,
      },
    ]),
  );
}

type NewReconciliation = {
  claimId: number;
  sourceSystem: string;
  sourceId: string;
  outcome: ReconcileOutcome;
  rule: string;
  facts: Record<string, unknown>;
  stateBefore: string;
};

export async function insertReconciliations(tx: DbOrTx, rows: readonly NewReconciliation[]) {
  if (rows.length === 0) return;
  const json = rows.map((r) => ({
    claim_id: r.claimId,
    source_system: r.sourceSystem,
    source_id: r.sourceId,
    outcome: r.outcome,
    rule: r.rule,
    facts: r.facts,
    state_before: r.stateBefore,
  }));
  await tx.execute(sql`
    insert into ingest_reconciliations (claim_id, source_system, source_id, outcome, rule, facts, state_before)
    select claim_id, source_system, source_id, outcome, rule, facts, state_before
    from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as r(claim_id bigint, source_system text,
      source_id text, outcome text, rule text, facts jsonb, state_before text)`);
}

// Off the triage list: the claim and the claims its backup carries (a 686c's 674s). An admin's
// exclusion reason is not touched here (reconcile.ts never moves an admin's exclusion).
export async function markResolvedElsewhere(tx: DbOrTx, claimIds: readonly number[]) {
  if (claimIds.length === 0) return;
  const ids = idArray(claimIds);
  await tx.execute(sql`
    update saved_claims set triage_state = 'resolved_elsewhere', excluded_reason = null, updated_at = now()
    where (id = any(${ids}) or main_claim_id = any(${ids})) and triage_state <> 'resolved_elsewhere'`);
}

export type Reconciliation = {
  id: number;
  claimId: number;
  sourceSystem: string;
  sourceId: string;
  outcome: ReconcileOutcome;
  rule: string;
  facts: Record<string, unknown>;
  stateBefore: string;
  createdAt: Date;
  settledAt: Date | null;
};

type ReconciliationRow = {
  id: string;
  claim_id: string;
  source_system: string;
  source_id: string;
  outcome: ReconcileOutcome;
  rule: string;
  facts: Record<string, unknown>;
  state_before: string;
  created_at: string | Date;
  settled_at: string | Date | null;
};

const toReconciliation = (r: ReconciliationRow): Reconciliation => ({
  id: Number(r.id),
  claimId: Number(r.claim_id),
  sourceSystem: r.source_system,
  sourceId: r.source_id,
  outcome: r.outcome,
  rule: r.rule,
  facts: r.facts,
  stateBefore: r.state_before,
  createdAt: new Date(r.created_at),
  settledAt: r.settled_at ? new Date(r.settled_at) : null,
});

// A claim's reconciliations, newest first (it and its main claim: a 674 shows its 686c's).
export async function getClaimReconciliations(db: DbOrTx, claimIds: readonly number[]): Promise<Reconciliation[]> {
  const rows = rowsOf<ReconciliationRow>(
    await db.execute(sql`
      select * from ingest_reconciliations where claim_id = any(${idArray(claimIds)})
      order by created_at desc, id desc limit 100`),
  );
  return rows.map(toReconciliation);
}

// Conflicts no person has settled yet, newest first.
export async function getOpenConflicts(db: DbOrTx, limit: number): Promise<{ rows: Reconciliation[]; total: number }> {
  const rows = rowsOf<ReconciliationRow>(
    await db.execute(sql`
      select * from ingest_reconciliations where outcome = 'conflict' and settled_at is null
      order by created_at desc limit ${limit}`),
  );
  const [count] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from ingest_reconciliations where outcome = 'conflict' and settled_at is null`,
    ),
  );
  return { rows: rows.map(toReconciliation), total: count.n };
}
