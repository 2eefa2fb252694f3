import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// The remediation feed's page (GET /api/ingest/remediations, docs/ingest.md): what Claim Triage did
// with the claims a source sent, one entry per status a backup attempt reached, in the order the
// events committed. Rows are written by triggers on backup_attempts (migration 0011) with their
// transaction's id; a page holds only rows of transactions older than any still running (the
// snapshot's xmin), so a later page never meets a row that should have come before the cursor.

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

export type FeedCursor = { txid: bigint; id: bigint };

export type RemediationEvent = {
  txid: string;
  id: string;
  at: Date;
  status: string;
  claimId: number;
  attemptNumber: number;
  benefitsIntakeUuid: string | null;
  transient: boolean | null;
  errorCode: string | null;
  failureEmail: string | null;
  sourceSystem: string;
  sourceTable: string;
  sourceId: string;
  carried: { system: string; id: string }[];
};

export async function getRemediationEvents(
  db: DbOrTx,
  after: FeedCursor | null,
  limit: number,
): Promise<RemediationEvent[]> {
  const from = after ?? { txid: -1n, id: -1n };
  const rows = rowsOf<{
    txid: string;
    id: string;
    at: string | Date;
    status: string;
    claim_id: string;
    attempt_number: number;
    benefits_intake_uuid: string | null;
    transient: boolean | null;
    error_code: string | null;
    failure_email: string | null;
    source_system: string;
    source_table: string;
    source_id: string;
    carried: { system: string; id: string }[] | null;
  }>(
    await db.execute(sql`
      select e.txid::text, e.id::text, e.at, e.status, e.claim_id, a.attempt_number, a.benefits_intake_uuid::text,
        a.transient, a.error_code, r.source_system, r.source_table, r.source_id,
        (select n.status::text from notifications n
          where n.claim_id = e.claim_id and n.attempt_id = e.attempt_id and n.template = 'backup_failed') as failure_email,
        (select jsonb_agg(jsonb_build_object('system', cr.source_system, 'id', cr.source_id) order by c.id)
          from saved_claims c join ingest_records cr on cr.claim_id = c.id
          where c.main_claim_id = e.claim_id and c.id <> e.claim_id) as carried
      from ingest_remediation_events e
        join backup_attempts a on a.id = e.attempt_id
        join ingest_records r on r.claim_id = e.claim_id
      where e.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
        and (e.txid, e.id) > (${from.txid.toString()}::bigint, ${from.id.toString()}::bigint)
      order by e.txid, e.id
      limit ${limit}`),
  );
  return rows.map((r) => ({
    txid: r.txid,
    id: r.id,
    at: new Date(r.at),
    status: r.status,
    claimId: Number(r.claim_id),
    attemptNumber: r.attempt_number,
    benefitsIntakeUuid: r.benefits_intake_uuid,
    transient: r.transient,
    errorCode: r.error_code,
    failureEmail: r.failure_email,
    sourceSystem: r.source_system,
    sourceTable: r.source_table,
    sourceId: r.source_id,
    carried: r.carried ?? [],
  }));
}
