import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { silentFailureSql } from "@/db/outstanding";
import { getCounters } from "@/db/queries/metrics";
import { INGEST_COUNTER_HELP, ingestGaugeLines } from "./ingest/metrics";

const HELP: Record<string, string> = {
  claim_triage_backup_attempts_total: "Backup attempts by outcome and form type.",
  claim_triage_backup_retries_total: "Automatic retries scheduled after a transient failure.",
  claim_triage_silent_failures_avoided_total: "Final failures whose veteran was sent the failure e-mail.",
  claim_triage_failures_without_email_total: "Final failures of claims with no e-mail address (need a person).",
  claim_triage_uploads_end_state_total: "Uploads by Benefits Intake end state.",
  claim_triage_returned_to_triage_total: "Uploads that ended in error or expired and went back to triage.",
  claim_triage_emails_total: "E-mails by template and outcome.",
  ...INGEST_COUNTER_HELP,
};

// Prometheus text format: the counters every process adds to, plus live gauges of the claims.
export async function renderMetrics(db: Db): Promise<string> {
  const lines: string[] = [];
  let current = "";
  for (const c of await getCounters(db)) {
    if (c.name !== current) {
      current = c.name;
      lines.push(`# HELP ${c.name} ${HELP[c.name] ?? c.name}`, `# TYPE ${c.name} counter`);
    }
    lines.push(`${c.name}${c.labels ? `{${c.labels}}` : ""} ${c.value}`);
  }
  const states = await db.execute<{ triage_state: string; n: number }>(
    sql`select triage_state, count(*)::int as n from saved_claims group by 1 order by 1`,
  );
  lines.push("# HELP claim_triage_claims Claims by triage state.", "# TYPE claim_triage_claims gauge");
  for (const s of states) lines.push(`claim_triage_claims{triage_state="${s.triage_state}"} ${s.n}`);
  const [silent] = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from saved_claims where ${silentFailureSql()}`,
  );
  lines.push(
    "# HELP claim_triage_silent_failures Failed claims whose veteran was not told and that nothing is working on.",
    "# TYPE claim_triage_silent_failures gauge",
    `claim_triage_silent_failures ${silent.n}`,
    ...(await ingestGaugeLines(db)),
  );
  return `${lines.join("\n")}\n`;
}
