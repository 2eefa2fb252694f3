import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { FormType, TriageState } from "@/db/schema/enums";
import { backupSkipReason, mayStartSql, SKIP_REASON_TEXT, type SkipReason } from "../backup/rules";
import { buildMetadata, plainlyValidMetadataSql } from "../benefits-intake/metadata";
import { getEnv } from "../env";

// What a resubmit would do, computed on the server before anything is changed: the rules the real
// start applies (lib/backup/rules.ts) and the metadata rules Benefits Intake applies
// (lib/benefits-intake/metadata.ts), counted over the whole selection in a few grouped queries.
//
// A very large selection is sampled: the claims by form are still counted exactly (one scan), but
// the backups, what will start, what will be skipped and the bad metadata are worked out on a
// sample of about SAMPLE_CLAIMS claims (whole pages of the table, TABLESAMPLE SYSTEM, the same
// pages every time) and scaled up, and the dialog says they are estimates. Checking every claim of a
// million took 10–15 s on a busy two-core machine; the batch itself counts exactly when it is made.

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
  // Set when the counts above (all but selectedClaims and byFormType) are estimates from a sample.
  sampled: { examined: number } | null;
  batchLimit: number; // the most backups one batch may hold (lib/batches/batch-limit.ts)
};

const METADATA_SAMPLE = 20;
const METADATA_CHECK_LIMIT = 20_000;
// Selections of more claims than this are sampled, to about SAMPLE_CLAIMS claims.
const EXACT_LIMIT = 20_000;
const SAMPLE_CLAIMS = 10_000;
const SAMPLE_SEED = 14; // REPEATABLE: the same selection gives the same estimate each time

export async function computeDryRun(
  db: DbOrTx,
  where: SQL,
  // exactLimit and sampleClaims: the tests sample a small database.
  options: { force: boolean; exactLimit?: number; sampleClaims?: number; batchLimit?: number },
): Promise<DryRun> {
  const forms = await db.execute<{ form_type: FormType; n: number }>(
    sql`select form_type, count(*)::int as n from saved_claims where ${where} group by form_type order by form_type`,
  );
  const selectedClaims = forms.reduce((s, r) => s + Number(r.n), 0);
  // The claims the rest is worked out on: all of the selection, or a sample of its table's pages.
  const percent =
    selectedClaims > (options.exactLimit ?? EXACT_LIMIT)
      ? (100 * (options.sampleClaims ?? SAMPLE_CLAIMS)) / selectedClaims
      : 100;
  const from =
    percent < 100
      ? sql`saved_claims tablesample system (${sql.raw(percent.toFixed(4))}) repeatable (${sql.raw(String(SAMPLE_SEED))})`
      : sql`saved_claims`;
  const selection = sql`select id, coalesce(main_claim_id, id) as main_id from ${from} where ${where}`;
  const mains = sql`m.id in (select main_id from picked)`;
  const states = await db.execute<{
    triage_state: TriageState;
    waiting_for: string | null;
    in_flight: boolean;
    n: number;
    examined: number;
  }>(sql`
    with picked as materialized (${selection})
    select m.triage_state, m.waiting_for, bs.in_flight_since is not null as in_flight, count(*)::int as n,
      (select count(*) from picked)::int as examined
    from saved_claims m left join backup_submissions bs on bs.claim_id = m.id
    where ${mains} group by 1, 2, 3`);
  const examined = states.length > 0 ? Number(states[0].examined) : 0;
  const sampled = percent < 100 && examined > 0 ? { examined } : null;
  if (percent < 100 && !sampled) return computeDryRun(db, where, { ...options, exactLimit: Number.POSITIVE_INFINITY });
  // Scales a count on the sample up to the selection, to three significant figures: an estimate
  // should not look exact (123,213 reads as counted; "about 123,000" does not).
  const scale = sampled ? selectedClaims / sampled.examined : 1;
  const up = (n: number) => (sampled && n * scale >= 1000 ? Number((n * scale).toPrecision(3)) : Math.round(n * scale));

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
    where m.id in (select coalesce(main_claim_id, id) from ${from} where ${where}) and ${mayStart}
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
    selectedClaims,
    byFormType: forms.map((r) => ({ formType: r.form_type, count: Number(r.n) })),
    backups: up(backups),
    willStart: up(willStart),
    skipped: [...skippedCounts]
      .map(([reason, count]) => ({ reason, text: SKIP_REASON_TEXT[reason], count: up(count) }))
      .sort((a, b) => b.count - a.count),
    invalidMetadata: {
      count: up(invalid),
      sample,
      complete: !sampled && candidates.length <= METADATA_CHECK_LIMIT,
    },
    sampled,
    batchLimit: options.batchLimit ?? getEnv().BATCH_MAX_CLAIMS,
  };
}
