import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { FormType, TriageState } from "@/db/schema/enums";
import { backupSkipReason, mayStartSql, SKIP_REASON_TEXT, type SkipReason } from "../backup/rules";
import { buildMetadata, plainlyValidMetadataSql } from "../benefits-intake/metadata";

// What a resubmit would do, computed on the server before anything is changed: the rules the real
// start applies (lib/backup/rules.ts) and the metadata rules Benefits Intake applies
// (lib/benefits-intake/metadata.ts), counted over the whole selection in a few grouped queries.

export type DryRun = {
  selectedClaims: number;
  byFormType: { formType: FormType; count: number }[];
  backups: number; // distinct main claims: a 686c carries its 674s in one backup
  willStart: number;
  skipped: { reason: SkipReason; text: string; count: number }[];
  invalidMetadata: {
    count: number;
    sample: { claimId: number; formType: FormType; problems: string[] }[];
    complete: boolean;
  };
};

const METADATA_SAMPLE = 20;
const METADATA_CHECK_LIMIT = 20_000;

export async function computeDryRun(db: DbOrTx, where: SQL, options: { force: boolean }): Promise<DryRun> {
  const mains = sql`m.id in (select coalesce(main_claim_id, id) from saved_claims where ${where})`;
  const [forms, states] = await Promise.all([
    db.execute<{ form_type: FormType; n: number }>(
      sql`select form_type, count(*)::int as n from saved_claims where ${where} group by form_type order by form_type`,
    ),
    db.execute<{ triage_state: TriageState; waiting_for: string | null; in_flight: boolean; n: number }>(sql`
      select m.triage_state, m.waiting_for, bs.in_flight_since is not null as in_flight, count(*)::int as n
      from saved_claims m left join backup_submissions bs on bs.claim_id = m.id
      where ${mains} group by 1, 2, 3`),
  ]);

  const skippedCounts = new Map<SkipReason, number>();
  let willStart = 0;
  let backups = 0;
  for (const row of states) {
    const n = Number(row.n);
    backups += n;
    const reason = backupSkipReason(
      { triageState: row.triage_state, waitingFor: row.waiting_for, inFlight: row.in_flight },
      options.force,
    );
    if (reason) skippedCounts.set(reason, (skippedCounts.get(reason) ?? 0) + n);
    else willStart += n;
  }

  const mayStart = mayStartSql(
    { triageState: sql`m.triage_state`, waitingFor: sql`m.waiting_for`, inFlightSince: sql`bs.in_flight_since` },
    options.force,
  );
  const candidates = await db.execute<{
    id: number;
    form_type: FormType;
    first: string;
    last: string;
    file_number: string;
    zip_code: string | null;
    submitted_ms: number;
  }>(sql`
    select m.id, m.form_type, m.veteran_first_name as first, m.veteran_last_name as last, m.file_number, m.zip_code,
      (extract(epoch from m.submitted_at) * 1000)::float8 as submitted_ms
    from saved_claims m left join backup_submissions bs on bs.claim_id = m.id
    where ${mains} and ${mayStart}
      and not ${plainlyValidMetadataSql({
        firstName: sql`m.veteran_first_name`,
        lastName: sql`m.veteran_last_name`,
        fileNumber: sql`m.file_number`,
      })}
    order by m.id limit ${METADATA_CHECK_LIMIT + 1}`);

  const sample: DryRun["invalidMetadata"]["sample"] = [];
  let invalid = 0;
  for (const c of candidates.slice(0, METADATA_CHECK_LIMIT)) {
    const result = buildMetadata({
      veteranFirstName: c.first,
      veteranLastName: c.last,
      fileNumber: c.file_number,
      zipCode: c.zip_code,
      formType: c.form_type,
      submittedAt: new Date(Number(c.submitted_ms)),
    });
    if (result.ok) continue;
    invalid++;
    if (sample.length < METADATA_SAMPLE)
      sample.push({ claimId: Number(c.id), formType: c.form_type, problems: result.problems });
  }

  return {
    selectedClaims: forms.reduce((s, r) => s + Number(r.n), 0),
    byFormType: forms.map((r) => ({ formType: r.form_type, count: Number(r.n) })),
    backups,
    willStart,
    skipped: [...skippedCounts]
      .map(([reason, count]) => ({ reason, text: SKIP_REASON_TEXT[reason], count }))
      .sort((a, b) => b.count - a.count),
    invalidMetadata: { count: invalid, sample, complete: candidates.length <= METADATA_CHECK_LIMIT },
  };
}
