import { type SQL, sql } from "drizzle-orm";
import { textArray } from "../bind-array";
import type { DbOrTx } from "../client";

// The ingest ledger's reads (db/schema/ingest.ts), in sets: one statement per question for a whole
// chunk of records, whatever its size.

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

// Ingest writes one chunk at a time across all processes: groups, duplicates and guids are decided
// over claims another chunk may be writing, and a chunk takes well under a second.
export async function lockIngest(tx: DbOrTx) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('claim-triage:ingest'))`);
}

export type SourceKey = { system: string; id: string };

export type HeldRecord = {
  sourceSystem: string;
  sourceId: string;
  sourceUpdatedAt: Date;
  contentSha256: string;
  claimId: number;
  rule: string;
  parkedReason: string | null;
};

// Each key (and each guid, below) is looked up by its own index probe, whatever the planner believes: the subquery's
// limit keeps it from being flattened into a join. With thousands of keys against a table of a
// million rows it priced a hash join over a full scan cheaper than the probes (ingest_groups: 160 ms
// a chunk at a million groups, growing with the table, against 5 ms at 50,000).
const keysSql = (keys: readonly SourceKey[]): SQL =>
  sql`unnest(${textArray(keys.map((k) => k.system))}, ${textArray(keys.map((k) => k.id))}) as k(system, id)`;

export async function getHeldRecords(tx: DbOrTx, keys: readonly SourceKey[]): Promise<HeldRecord[]> {
  if (keys.length === 0) return [];
  const rows = rowsOf<{
    source_system: string;
    source_id: string;
    source_updated_at: string | Date;
    content_sha256: string;
    claim_id: string;
    rule: string;
    parked_reason: string | null;
  }>(
    await tx.execute(sql`
      select r.source_system, r.source_id, r.source_updated_at, r.content_sha256, r.claim_id, r.rule, r.parked_reason
      from ${keysSql(keys)} cross join lateral (
        select * from ingest_records r where r.source_system = k.system and r.source_id = k.id limit 1) r`),
  );
  return rows.map((r) => ({
    sourceSystem: r.source_system,
    sourceId: r.source_id,
    sourceUpdatedAt: new Date(r.source_updated_at),
    contentSha256: r.content_sha256,
    claimId: Number(r.claim_id),
    rule: r.rule,
    parkedReason: r.parked_reason,
  }));
}

// Which claim already holds each confirmation guid.
export async function getGuidOwners(tx: DbOrTx, guids: readonly string[]): Promise<Map<string, number>> {
  if (guids.length === 0) return new Map();
  const rows = rowsOf<{ guid: string; id: string }>(
    await tx.execute(sql`
      select c.guid::text, c.id from unnest(${textArray(guids)}::uuid[]) as k(guid)
        cross join lateral (select guid, id from saved_claims c where c.guid = k.guid limit 1) c`),
  );
  return new Map(rows.map((r) => [r.guid, Number(r.id)]));
}

// The claim groups already made for these (system, parent id) keys.
export async function getIngestGroups(tx: DbOrTx, keys: readonly SourceKey[]): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = rowsOf<{ source_system: string; parent_source_id: string; group_id: string }>(
    await tx.execute(sql`
      select g.source_system, g.parent_source_id, g.group_id
      from ${keysSql(keys)} cross join lateral (
        select * from ingest_groups g where g.source_system = k.system and g.parent_source_id = k.id limit 1) g`),
  );
  return new Map(
    rows.map((r) => [sourceKeyText({ system: r.source_system, id: r.parent_source_id }), Number(r.group_id)]),
  );
}

export const sourceKeyText = (key: SourceKey) => `${key.system}\u0000${key.id}`;

// Ids drawn ahead from a table's sequence, so rows that point at each other (a claim, its group and
// its main claim) are written in one statement each.
export async function allocateIds(tx: DbOrTx, table: "saved_claims" | "claim_groups", count: number) {
  if (count === 0) return [];
  // The sequence is looked up once (a scalar subquery is an InitPlan): pg_get_serial_sequence called
  // for every row was nine tenths of the statement (20-30 ms of 33 for 5,000 ids).
  const rows = rowsOf<{ id: string }>(
    await tx.execute(
      sql`select nextval((select pg_get_serial_sequence(${table}, 'id')::regclass)) as id
        from generate_series(1, ${count}::int)`,
    ),
  );
  return rows.map((r) => Number(r.id));
}

// Records whose classification time alone may have changed (a claim in process past its three
// weeks), the most overdue first.
export async function getRecordsDue(tx: DbOrTx, now: Date, limit: number): Promise<Record<string, unknown>[]> {
  const rows = rowsOf<{ record: Record<string, unknown> }>(
    await tx.execute(sql`
      select ${receivedRecordSql()} as record from ingest_records r join saved_claims c on c.id = r.claim_id
      where r.reevaluate_at <= ${now.toISOString()}::timestamptz
      order by r.reevaluate_at limit ${limit}`),
  );
  return rows.map((r) => r.record);
}

// A record as it was received: the ledger holds all of it but the form, which the claim holds
// (stored once; a real 526's form runs to tens of kilobytes). `r` is ingest_records, `c` its claim.
export function receivedRecordSql(): SQL {
  return sql`(r.record::jsonb || jsonb_build_object('formData', c.form_data))`;
}
