import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// The claim page's "From the system of record": the record a claim came from, how it was
// classified, and with what facts (lib/ingest/classify.ts).

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

export async function getClaimSource(db: DbOrTx, claimId: number) {
  const [row] = rowsOf<{
    source_system: string;
    source_table: string;
    source_id: string;
    category: string;
    rule: string;
    rule_version: number;
    facts: Record<string, string | number | boolean | null>;
    received_at: string | Date;
    updated_at: string | Date;
    versions: number;
  }>(
    await db.execute(sql`
      select source_system, source_table, source_id, category, rule, rule_version, facts, received_at, updated_at,
        versions
      from ingest_records where claim_id = ${claimId}`),
  );
  if (!row) return null;
  return {
    sourceSystem: row.source_system,
    sourceTable: row.source_table,
    sourceId: row.source_id,
    category: row.category,
    rule: row.rule,
    ruleVersion: row.rule_version,
    facts: row.facts,
    receivedAt: new Date(row.received_at),
    updatedAt: new Date(row.updated_at),
    versions: row.versions,
  };
}
