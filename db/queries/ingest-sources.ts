import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// What ingest remembers of each delivery beyond the records themselves (tallies by source, hour,
// result and way; refused records' reasons), and the Sources page's reads.

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

export type Tally = { sourceSystem: string; result: string; way: string; count: number };
export type Refusal = {
  sourceSystem: string | null;
  sourceId: string | null;
  way: string;
  problems: { path: string; message: string }[];
};

export async function recordIngestReceipt(tx: DbOrTx, tallies: readonly Tally[], refusals: readonly Refusal[]) {
  if (tallies.length > 0) {
    const rows = tallies.map((t) => ({ source_system: t.sourceSystem, result: t.result, way: t.way, count: t.count }));
    await tx.execute(sql`
      insert into ingest_tallies (source_system, hour, result, way, count)
      select source_system, date_trunc('hour', now()), result, way, count
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(source_system text, result text, way text, count bigint)
      order by 1, 3, 4
      on conflict (source_system, hour, result, way) do update set count = ingest_tallies.count + excluded.count,
        last_at = greatest(ingest_tallies.last_at, excluded.last_at)`);
  }
  if (refusals.length > 0) {
    const rows = refusals.map((r) => ({
      source_system: r.sourceSystem,
      source_id: r.sourceId,
      way: r.way,
      problems: r.problems,
    }));
    await tx.execute(sql`
      insert into ingest_refusals (source_system, source_id, way, problems)
      select source_system, source_id, way, problems
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(source_system text, source_id text, way text, problems jsonb)`);
  }
}

export type SourceSummary = {
  sourceSystem: string;
  records: number;
  lastReceivedAt: Date | null;
  day: Record<string, number>;
  week: Record<string, number>;
};

// Each source's last record and its results over the last day and week. Sources come from the
// tallies (a source whose every record was refused still shows) and the ledger.
export async function getSourceSummaries(db: DbOrTx): Promise<SourceSummary[]> {
  const tallies = rowsOf<{ source_system: string; result: string; day: string; week: string }>(
    await db.execute(sql`
      select source_system, result,
        sum(count) filter (where hour >= now() - interval '1 day')::text as day, sum(count)::text as week
      from ingest_tallies where hour >= now() - interval '7 days'
      group by 1, 2`),
  );
  const lastReceived = rowsOf<{ source_system: string; last_at: string | Date }>(
    await db.execute(sql`select source_system, max(last_at) as last_at from ingest_tallies group by 1`),
  );
  const ledger = rowsOf<{ source_system: string; records: number; last_received_at: string | Date | null }>(
    await db.execute(sql`
      select s.source_system, (select count(*)::int from ingest_records r where r.source_system = s.source_system) as records,
        (select max(updated_at) from ingest_records r where r.source_system = s.source_system) as last_received_at
      from (select distinct source_system from ingest_groups) s`),
  );
  const bySource = new Map<string, SourceSummary>();
  const entry = (system: string) => {
    let s = bySource.get(system);
    if (!s) {
      s = { sourceSystem: system, records: 0, lastReceivedAt: null, day: {}, week: {} };
      bySource.set(system, s);
    }
    return s;
  };
  for (const l of ledger) {
    const s = entry(l.source_system);
    s.records = l.records;
    s.lastReceivedAt = l.last_received_at ? new Date(l.last_received_at) : null;
  }
  // Resends count as received (the ledger only moves when a record changes).
  for (const l of lastReceived) {
    const s = entry(l.source_system);
    const at = new Date(l.last_at);
    if (!s.lastReceivedAt || at > s.lastReceivedAt) s.lastReceivedAt = at;
  }
  for (const t of tallies) {
    const s = entry(t.source_system);
    s.day[t.result] = Number(t.day ?? 0);
    s.week[t.result] = Number(t.week);
  }
  return [...bySource.values()].sort((a, b) => a.sourceSystem.localeCompare(b.sourceSystem));
}

export type StoredRefusal = Refusal & { id: number; receivedAt: Date };

export async function getRecentRefusals(db: DbOrTx, limit: number): Promise<{ rows: StoredRefusal[]; week: number }> {
  const rows = rowsOf<{
    id: string;
    source_system: string | null;
    source_id: string | null;
    way: string;
    problems: { path: string; message: string }[];
    received_at: string | Date;
  }>(await db.execute(sql`select * from ingest_refusals order by received_at desc, id desc limit ${limit}`));
  const [count] = rowsOf<{ n: number }>(
    await db.execute(
      sql`select count(*)::int as n from ingest_refusals where received_at >= now() - interval '7 days'`,
    ),
  );
  return {
    rows: rows.map((r) => ({
      id: Number(r.id),
      sourceSystem: r.source_system,
      sourceId: r.source_id,
      way: r.way,
      problems: r.problems,
      receivedAt: new Date(r.received_at),
    })),
    week: count.n,
  };
}

// Evidence files named by claims but not received yet, with the claims waiting for them.
export async function getFilesWaiting(db: DbOrTx, limit: number) {
  const rows = rowsOf<{ sha256: string; claims: number; first_claim_id: string; since: string | Date }>(
    await db.execute(sql`
      select pa.storage_key as sha256, count(distinct m.id)::int as claims, min(m.id)::text as first_claim_id,
        min(pa.created_at) as since
      from saved_claims m
        join saved_claims c on c.main_claim_id = m.id
        join persistent_attachments pa on pa.claim_id = c.id
        left join ingest_files f on f.sha256 = pa.storage_key
      where m.waiting_for = 'evidence' and pa.storage_key ~ '^[0-9a-f]{64}$' and f.sha256 is null
      group by pa.storage_key
      order by since
      limit ${limit}`),
  );
  const [count] = rowsOf<{ evidence: number; parent: number }>(
    await db.execute(sql`
      select count(*) filter (where waiting_for = 'evidence')::int as evidence,
        count(*) filter (where waiting_for = 'parent_claim')::int as parent
      from saved_claims where waiting_for is not null`),
  );
  return {
    files: rows.map((r) => ({
      sha256: r.sha256,
      claims: r.claims,
      firstClaimId: Number(r.first_claim_id),
      since: new Date(r.since),
    })),
    claimsWaitingForEvidence: count.evidence,
    claimsWaitingForParent: count.parent,
  };
}
