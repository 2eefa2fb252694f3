import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

// Ingest's live gauges for /api/metrics (lib/metrics.ts); its counter, claim_triage_ingest_records_total,
// is added to with each chunk (receipt.ts).

export const INGEST_COUNTER_HELP = {
  claim_triage_ingest_records_total: "Records received from systems of record, by result and way in.",
};

export async function ingestGaugeLines(db: Db): Promise<string[]> {
  const [row] = await db.execute<{ evidence: number; parent: number; conflicts: number }>(sql`
    select
      (select count(*)::int from saved_claims where waiting_for = 'evidence') as evidence,
      (select count(*)::int from saved_claims where waiting_for = 'parent_claim') as parent,
      (select count(*)::int from ingest_reconciliations where outcome = 'conflict' and settled_at is null) as conflicts`);
  return [
    "# HELP claim_triage_ingest_claims_waiting Ingested claims that may not start until the source sends what they wait for.",
    "# TYPE claim_triage_ingest_claims_waiting gauge",
    `claim_triage_ingest_claims_waiting{for="evidence"} ${row.evidence}`,
    `claim_triage_ingest_claims_waiting{for="parent_claim"} ${row.parent}`,
    "# HELP claim_triage_ingest_conflicts Claims the source shows resolved while a backup of ours was in flight, not yet settled by a person.",
    "# TYPE claim_triage_ingest_conflicts gauge",
    `claim_triage_ingest_conflicts ${row.conflicts}`,
  ];
}
