import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import type { FormType } from "../schema/enums";

// Writes a chunk of ingested records into the claims tables (db/queries/ingest-groups.ts then puts
// their groups in order), a handful of set statements whatever the chunk's size: the rows travel as
// one JSON parameter read with jsonb_to_recordset, never as thousands of bind parameters. The caller
// (lib/ingest/plan-writes.ts) has decided, under the ingest lock, which records create a claim and
// which update one, and drawn the ids.
// Ingest owns only the state it set: a claim that is never_tried, duplicate or resolved_elsewhere, or
// excluded with the very reason ingest wrote (lib/ingest/reconcile.ts moves the others, or flags them). Anything the backup flow or a person did (attempts, batches, audit,
// failed / submitted / confirmed, an admin's exclusion) is kept.

export type IngestClaimRow = {
  stageKey: number; // where the chunk's staged bodies hold its form data and record (stageBodies)
  claimId: number;
  groupId: number;
  mainClaimId: number;
  sourceSystem: string;
  sourceTable: string;
  sourceId: string;
  parentSourceId: string;
  schemaVersion: number;
  sourceUpdatedAt: string;
  contentSha256: string;
  guid: string;
  formType: FormType;
  firstName: string;
  lastName: string;
  fileNumber: string;
  fileLast4: string;
  zipCode: string | null;
  email: string | null;
  submittedAt: string;
  state: "never_tried" | "excluded" | "resolved_elsewhere";
  parkedReason: string | null;
  previousParkedReason: string | null; // what ingest wrote last time (updates only)
  blackHole: boolean;
  notified: boolean;
  failureReason: string | null;
  groupStatus: "pending" | "processing" | "success" | "failure";
  category: string;
  rule: string;
  ruleVersion: number;
  facts: Record<string, unknown>;
  reevaluateAt: string | null;
  primary: {
    status: string;
    errorClass: string | null;
    errorMessage: string | null;
    failedAt: string | null;
    shownAsSuccess: boolean;
  };
  evidence: { sha256: string; fileName: string; contentType: string; byteSize: number }[];
};

const CLAIM_COLUMNS = `stage_key integer, claim_id bigint, group_id bigint, main_claim_id bigint, guid uuid,
  form_type form_type, first_name text, last_name text, file_number text, file_last4 text, zip_code text,
  email text, submitted_at timestamptz, state triage_state, parked_reason text, previous_parked_reason text,
  black_hole boolean, notified boolean, failure_reason text, rule text, rule_version smallint`;

// Rows as one JSON parameter, read as a relation `r` with the given columns.
export function recordset(rows: readonly object[], columns: string): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(columns)})`;
}

// The bulk of a chunk (each record's form data, and the record as received without it) goes into a
// table of the transaction's own before the ingest lock is taken, keyed by the record's place in
// the chunk: PostgreSQL parses those megabytes of JSON while another chunk holds the lock, and the
// statements under the lock copy them from here. Staged whether or not the plan writes them. Each
// body comes as its JSON text (lib/ingest/prepare-records.ts, stageBody), so a chunk waiting to be
// written holds strings, not the object trees they were made from.
export async function stageBodies(tx: DbOrTx, bodies: readonly string[]) {
  await tx.execute(sql`create temp table ingest_stage (key integer, form_data jsonb, record jsonb) on commit drop`);
  if (bodies.length === 0) return;
  await tx.execute(sql`insert into ingest_stage (key, form_data, record) select key, form_data, record
    from jsonb_to_recordset(${`[${bodies.join(",")}]`}::jsonb) as r(key integer, form_data jsonb, record jsonb)`);
}

// One object literal per row, extended with Object.assign where a statement needs more: spreading
// rows this wide into another object cost more than the JSON of the whole payload.
const claimFields = (r: IngestClaimRow) => ({
  stage_key: r.stageKey,
  claim_id: r.claimId,
  group_id: r.groupId,
  main_claim_id: r.mainClaimId,
  guid: r.guid,
  form_type: r.formType,
  first_name: r.firstName,
  last_name: r.lastName,
  file_number: r.fileNumber,
  file_last4: r.fileLast4,
  zip_code: r.zipCode,
  email: r.email,
  submitted_at: r.submittedAt,
  state: r.state,
  parked_reason: r.parkedReason,
  previous_parked_reason: r.previousParkedReason,
  black_hole: r.blackHole,
  notified: r.notified,
  failure_reason: r.failureReason,
  rule: r.rule,
  rule_version: r.ruleVersion,
});

export type NewIngestGroup = {
  groupId: number;
  sourceSystem: string;
  parentSourceId: string;
  status: string;
  parentClaimId: number | null; // when the group's parent is among the rows written with it
};

export async function insertIngestGroups(tx: DbOrTx, groups: readonly NewIngestGroup[]) {
  if (groups.length === 0) return;
  const rows = groups.map((g) => ({
    group_id: g.groupId,
    source_system: g.sourceSystem,
    parent_source_id: g.parentSourceId,
    status: g.status,
    parent_claim_id: g.parentClaimId,
  }));
  await tx.execute(sql`
    with r as (select * from ${recordset(
      rows,
      "group_id bigint, source_system text, parent_source_id text, status claim_group_status, parent_claim_id bigint",
    )}),
    made as (insert into claim_groups (id, status, parent_claim_id) select group_id, status, parent_claim_id from r)
    insert into ingest_groups (source_system, parent_source_id, group_id)
    select source_system, parent_source_id, group_id from r`);
}

// New claims, with their primary-path rows in the same statement (one payload, one round trip; the
// claim ids were drawn for this chunk, so no primary row can exist yet). waiting_for is written
// as db/queries/ingest-groups.ts, refreshWaiting, will find it for a claim alone in its group (a
// child record whose parent has not come: the parent; an evidence file not received: evidence),
// so that rule, which stays the one that decides, finds nothing to change: an update of a row just
// inserted writes every one of the table's indexes again.
export async function insertIngestedClaims(tx: DbOrTx, rows: readonly IngestClaimRow[]) {
  if (rows.length === 0) return;
  const fields = rows.map((r) =>
    Object.assign(claimFields(r), primaryFields(r), {
      orphan_child: r.parentSourceId !== r.sourceId,
      evidence_keys: r.evidence.map((e) => e.sha256),
    }),
  );
  await tx.execute(sql`
    with r as (select * from ${recordset(
      fields,
      `${CLAIM_COLUMNS}, orphan_child boolean, evidence_keys text[], ${PRIMARY_COLUMNS}`,
    )}),
    claims as (
      insert into saved_claims (id, guid, form_type, form_data, veteran_first_name, veteran_last_name, file_number,
        file_last4, zip_code, email, submitted_at, group_id, main_claim_id, triage_state, excluded_reason, black_hole,
        failure_notified, failure_reason, classification_rule, classification_version, waiting_for)
      select claim_id, guid, form_type, s.form_data, first_name, last_name, file_number, file_last4, zip_code,
        email, submitted_at, group_id, main_claim_id, state, parked_reason, black_hole, notified, failure_reason, rule,
        rule_version,
        case when main_claim_id <> claim_id then null
          when orphan_child then 'parent_claim'
          when exists (select 1 from unnest(evidence_keys) k
                       where k ~ '^[0-9a-f]{64}$' and not exists (select 1 from ingest_files f where f.sha256 = k))
            then 'evidence'
          end
      from r join ingest_stage s on s.key = r.stage_key)
    insert into primary_submissions (claim_id, status, error_class, error_message, failed_at, shown_as_success,
      failure_notice_sent)
    select claim_id, status, error_class, error_message, failed_at, shown_as_success, notified from r`);
}

export async function updateIngestedClaims(tx: DbOrTx, rows: readonly IngestClaimRow[]) {
  if (rows.length === 0) return;
  const owned = sql`(c.triage_state in ('never_tried', 'duplicate', 'resolved_elsewhere')
    or (c.triage_state = 'excluded' and r.previous_parked_reason is not null
        and c.excluded_reason = r.previous_parked_reason))`;
  await tx.execute(sql`
    update saved_claims c set
      guid = r.guid, form_type = r.form_type, form_data = s.form_data, veteran_first_name = r.first_name,
      veteran_last_name = r.last_name, file_number = r.file_number, file_last4 = r.file_last4, zip_code = r.zip_code,
      email = r.email, submitted_at = r.submitted_at, group_id = r.group_id, main_claim_id = r.main_claim_id,
      -- a claim back from resolved elsewhere that we had tried before is failed, not never tried
      triage_state = case when not ${owned} then c.triage_state
        when r.state = 'never_tried' and c.attempt_count > 0 then 'failed' else r.state end,
      excluded_reason = case when ${owned} then r.parked_reason else c.excluded_reason end,
      -- our own failure e-mail counts as much as the source's notice; no backup of ours ever reached
      -- Benefits Intake, or the claim left the black hole for good
      failure_notified = c.failure_notified or r.notified,
      black_hole = r.black_hole and not (c.failure_notified or r.notified) and not exists (
        select 1 from backup_attempts a where a.claim_id = c.main_claim_id and a.submitted_at is not null),
      failure_reason = r.failure_reason, classification_rule = r.rule, classification_version = r.rule_version,
      updated_at = now()
    from ${recordset(rows.map(claimFields), CLAIM_COLUMNS)} join ingest_stage s on s.key = r.stage_key
    where c.id = r.claim_id`);
}

const PRIMARY_COLUMNS = `status text, error_class text, error_message text, failed_at timestamptz,
  shown_as_success boolean`;

const primaryFields = (r: IngestClaimRow) => ({
  status: r.primary.status,
  error_class: r.primary.errorClass,
  error_message: r.primary.errorMessage,
  failed_at: r.primary.failedAt,
  shown_as_success: r.primary.shownAsSuccess,
});

// The primary-path rows of claims that were there before (new claims get theirs with the claim).
export async function upsertPrimarySubmissions(tx: DbOrTx, rows: readonly IngestClaimRow[]) {
  if (rows.length === 0) return;
  const primary = rows.map((r) => Object.assign({ claim_id: r.claimId, notified: r.notified }, primaryFields(r)));
  await tx.execute(sql`
    insert into primary_submissions (claim_id, status, error_class, error_message, failed_at, shown_as_success,
      failure_notice_sent)
    select claim_id, status, error_class, error_message, failed_at, shown_as_success, notified
    from ${recordset(primary, `claim_id bigint, notified boolean, ${PRIMARY_COLUMNS}`)}
    on conflict (claim_id) do update set status = excluded.status, error_class = excluded.error_class,
      error_message = excluded.error_message, failed_at = excluded.failed_at,
      shown_as_success = excluded.shown_as_success,
      failure_notice_sent = primary_submissions.failure_notice_sent or excluded.failure_notice_sent`);
}

// Evidence references by hash; the storage key is the hash (content-addressed storage). A reference a
// newer version no longer lists is kept: nothing a claim was sent with is deleted.
export async function addEvidenceReferences(tx: DbOrTx, rows: readonly IngestClaimRow[]) {
  // In the record's order (the backup attaches them in it), each hash once per claim.
  const files = rows.flatMap((r) =>
    r.evidence
      .filter((e, i) => r.evidence.findIndex((other) => other.sha256 === e.sha256) === i)
      .map((e, i) => ({
        claim_id: r.claimId,
        position: i,
        sha256: e.sha256,
        file_name: e.fileName,
        content_type: e.contentType,
        byte_size: e.byteSize,
      })),
  );
  if (files.length === 0) return;
  await tx.execute(sql`
    insert into persistent_attachments (claim_id, file_name, content_type, storage_key, byte_size)
    select claim_id, file_name, content_type, sha256, byte_size
    from ${recordset(
      files,
      "claim_id bigint, position integer, sha256 text, file_name text, content_type text, byte_size integer",
    )}
    where not exists (
      select 1 from persistent_attachments p where p.claim_id = r.claim_id and p.storage_key = r.sha256)
    order by claim_id, position`);
}

// The ledger's rows: a plain insert for records seen for the first time (decided under the ingest
// lock, which every writer of the ledger holds: a key that is there after all is a database error,
// and the chunk falls back to one record at a time), an upsert for the others.
export async function writeIngestRecords(tx: DbOrTx, rows: readonly IngestClaimRow[], kind: "created" | "updated") {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({
    stage_key: r.stageKey,
    source_system: r.sourceSystem,
    source_table: r.sourceTable,
    source_id: r.sourceId,
    schema_version: r.schemaVersion,
    source_updated_at: r.sourceUpdatedAt,
    content_sha256: r.contentSha256,
    parent_source_id: r.parentSourceId,
    claim_id: r.claimId,
    category: r.category,
    rule: r.rule,
    rule_version: r.ruleVersion,
    facts: r.facts,
    reevaluate_at: r.reevaluateAt,
    parked_reason: r.parkedReason,
  }));
  const upsert = sql`
    on conflict (source_system, source_id) do update set source_table = excluded.source_table,
      schema_version = excluded.schema_version, source_updated_at = excluded.source_updated_at,
      content_sha256 = excluded.content_sha256, record = excluded.record,
      parent_source_id = excluded.parent_source_id, category = excluded.category, rule = excluded.rule,
      rule_version = excluded.rule_version, facts = excluded.facts, reevaluate_at = excluded.reevaluate_at,
      parked_reason = excluded.parked_reason, versions = ingest_records.versions + 1, updated_at = now()`;
  await tx.execute(sql`
    insert into ingest_records (source_system, source_table, source_id, schema_version, source_updated_at,
      content_sha256, record, parent_source_id, claim_id, category, rule, rule_version, facts, reevaluate_at,
      parked_reason)
    select source_system, source_table, source_id, schema_version, source_updated_at, content_sha256, s.record,
      parent_source_id, claim_id, category, rule, rule_version, facts, reevaluate_at, parked_reason
    from ${recordset(
      records,
      `stage_key integer, source_system text, source_table text, source_id text, schema_version smallint,
       source_updated_at timestamptz, content_sha256 text, parent_source_id text, claim_id bigint,
       category text, rule text, rule_version smallint, facts jsonb, reevaluate_at timestamptz, parked_reason text`,
    )} join ingest_stage s on s.key = r.stage_key
    ${kind === "updated" ? upsert : sql``}`);
}
