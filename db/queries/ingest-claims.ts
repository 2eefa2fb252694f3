import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { type Column, copyIn, copyToTemporary } from "../copy-rows";
import type { FormType } from "../schema/enums";

// Writes a chunk of ingested records into the claims tables (db/queries/ingest-groups.ts then puts
// their groups in order), a handful of set statements whatever the chunk's size: a chunk's rows go
// by COPY into a temporary table the statement reads (db/copy-rows.ts), never as thousands of bind
// parameters. The caller (lib/ingest/plan-writes.ts) has decided, under the ingest lock, which
// records create a claim and which update one, and drawn the ids.
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

// The claim's own columns, as every statement here reads them.
const CLAIM: readonly Column<IngestClaimRow>[] = [
  ["stage_key", "integer", (r) => r.stageKey],
  ["claim_id", "bigint", (r) => r.claimId],
  ["group_id", "bigint", (r) => r.groupId],
  ["main_claim_id", "bigint", (r) => r.mainClaimId],
  ["guid", "uuid", (r) => r.guid],
  ["form_type", "form_type", (r) => r.formType],
  ["first_name", "text", (r) => r.firstName],
  ["last_name", "text", (r) => r.lastName],
  ["file_number", "text", (r) => r.fileNumber],
  ["file_last4", "text", (r) => r.fileLast4],
  ["zip_code", "text", (r) => r.zipCode],
  ["email", "text", (r) => r.email],
  ["submitted_at", "timestamptz", (r) => r.submittedAt],
  ["state", "triage_state", (r) => r.state],
  ["parked_reason", "text", (r) => r.parkedReason],
  ["previous_parked_reason", "text", (r) => r.previousParkedReason],
  ["black_hole", "boolean", (r) => r.blackHole],
  ["notified", "boolean", (r) => r.notified],
  ["failure_reason", "text", (r) => r.failureReason],
  ["rule", "text", (r) => r.rule],
  ["rule_version", "smallint", (r) => r.ruleVersion],
];

// Its primary-path row.
const PRIMARY: readonly Column<IngestClaimRow>[] = [
  ["status", "text", (r) => r.primary.status],
  ["error_class", "text", (r) => r.primary.errorClass],
  ["error_message", "text", (r) => r.primary.errorMessage],
  ["failed_at", "timestamptz", (r) => r.primary.failedAt],
  ["shown_as_success", "boolean", (r) => r.primary.shownAsSuccess],
];

// Small row sets (a chunk's evidence references, its group changes: ingest-groups.ts) as one JSON
// parameter, read as a relation `r` with the given columns. A chunk's claims go by COPY
// (db/copy-rows.ts).
export function recordset(rows: readonly object[], columns: string): SQL {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(columns)})`;
}

// The bulk of a chunk (each record's form data, and the record as received without it) goes into a
// table of the transaction's own before the ingest lock is taken, keyed by the record's place in
// the chunk: PostgreSQL parses those megabytes of JSON while another chunk holds the lock, and the
// statements under the lock copy them from here. Staged whether or not the plan writes them. Each
// body comes as its COPY line (lib/ingest/map-record.ts, stageLine), so a chunk waiting to be
// written holds strings, not the object trees they were made from.
export async function stageBodies(tx: DbOrTx, lines: readonly string[]) {
  await tx.execute(sql`create temp table ingest_stage (key integer, form_data json, record json) on commit drop`);
  await copyIn(tx, "ingest_stage", "key, form_data, record", lines);
}

export type NewIngestGroup = {
  groupId: number;
  sourceSystem: string;
  parentSourceId: string;
  status: string;
  parentClaimId: number | null; // when the group's parent is among the rows written with it
};

const GROUP: readonly Column<NewIngestGroup>[] = [
  ["group_id", "bigint", (g) => g.groupId],
  ["source_system", "text", (g) => g.sourceSystem],
  ["parent_source_id", "text", (g) => g.parentSourceId],
  ["status", "claim_group_status", (g) => g.status],
  ["parent_claim_id", "bigint", (g) => g.parentClaimId],
];

export async function insertIngestGroups(tx: DbOrTx, groups: readonly NewIngestGroup[]) {
  if (groups.length === 0) return;
  await copyToTemporary(tx, "ingest_new_groups", GROUP, groups);
  await tx.execute(sql`
    with made as (insert into claim_groups (id, status, parent_claim_id)
                  select group_id, status, parent_claim_id from ingest_new_groups)
    insert into ingest_groups (source_system, parent_source_id, group_id)
    select source_system, parent_source_id, group_id from ingest_new_groups`);
}

// Its ledger row (ingest_records), beside the columns above it shares.
const LEDGER_OWN: readonly Column<IngestClaimRow>[] = [
  ["source_system", "text", (r) => r.sourceSystem],
  ["source_table", "text", (r) => r.sourceTable],
  ["source_id", "text", (r) => r.sourceId],
  ["schema_version", "smallint", (r) => r.schemaVersion],
  ["source_updated_at", "timestamptz", (r) => r.sourceUpdatedAt],
  ["content_sha256", "text", (r) => r.contentSha256],
  ["parent_source_id", "text", (r) => r.parentSourceId],
  ["category", "text", (r) => r.category],
  ["facts", "jsonb", (r) => r.facts],
  ["reevaluate_at", "timestamptz", (r) => r.reevaluateAt],
];

// The ledger rows of a table of the chunk's rows `r` (CLAIM and LEDGER_OWN columns), with the staged record.
const LEDGER_INSERT = sql`
  insert into ingest_records (source_system, source_table, source_id, schema_version, source_updated_at,
    content_sha256, record, parent_source_id, claim_id, category, rule, rule_version, facts, reevaluate_at,
    parked_reason)`;
const ledgerValues = (table: string) => sql`
  select source_system, source_table, source_id, schema_version, source_updated_at, content_sha256, s.record,
    parent_source_id, claim_id, category, rule, rule_version, facts, reevaluate_at, parked_reason
  from ${sql.raw(table)} r join ingest_stage s on s.key = r.stage_key`;

const NEW_CLAIM: readonly Column<IngestClaimRow>[] = [
  ...CLAIM,
  ...PRIMARY,
  ...LEDGER_OWN,
  ["orphan_child", "boolean", (r) => r.parentSourceId !== r.sourceId],
  ["evidence_keys", "text[]", (r) => r.evidence.map((e) => e.sha256)],
];

// New claims, with their primary-path rows and ledger rows in the same statement, from one COPY
// (the claim ids were drawn for this chunk, so no primary row can exist yet). A ledger key that is
// there after all fails the statement: before the ingest lock, another chunk wrote the record first
// (lib/ingest/write-records.ts plans the chunk again under the lock); under it, where the plan rules
// that out, it is a database error, and the chunk falls back to one record at a time.
//
// waiting_for is written as db/queries/ingest-groups.ts, refreshWaiting, will find it for a claim
// alone in its group (a child record whose parent has not come: the parent; an evidence file not
// received: evidence), so that rule, which stays the one that decides, finds nothing to change: an
// update of a row just inserted writes every one of the table's indexes again.
//
// `duplicateOf` names the claims of these rows that are duplicates of another of them, as the
// duplicate rule will find (lib/ingest/plan-writes.ts, duplicatesAmong): written so at once, for
// the same reason. A guess the rule does not confirm, it corrects.
export async function insertIngestedClaims(
  tx: DbOrTx,
  rows: readonly IngestClaimRow[],
  duplicateOf: ReadonlyMap<number, number>,
) {
  if (rows.length === 0) return;
  await copyToTemporary(
    tx,
    "ingest_new_claims",
    [...NEW_CLAIM, ["duplicate_of", "bigint", (r) => duplicateOf.get(r.claimId) ?? null]],
    rows,
  );
  await tx.execute(sql`
    with claims as (
      insert into saved_claims (id, guid, form_type, form_data, veteran_first_name, veteran_last_name, file_number,
        file_last4, zip_code, email, submitted_at, group_id, main_claim_id, triage_state, excluded_reason, black_hole,
        failure_notified, failure_reason, classification_rule, classification_version, duplicate_of, waiting_for)
      select claim_id, guid, form_type, s.form_data, first_name, last_name, file_number, file_last4, zip_code,
        email, submitted_at, group_id, main_claim_id, case when duplicate_of is null then state else 'duplicate' end,
        parked_reason, black_hole, notified, failure_reason, rule, rule_version, duplicate_of,
        case when main_claim_id <> claim_id then null
          when orphan_child then 'parent_claim'
          when exists (select 1 from unnest(evidence_keys) k
                       where k ~ '^[0-9a-f]{64}$' and not exists (select 1 from ingest_files f where f.sha256 = k))
            then 'evidence'
          end
      from ingest_new_claims r join ingest_stage s on s.key = r.stage_key)
    , primaries as (
      insert into primary_submissions (claim_id, status, error_class, error_message, failed_at, shown_as_success,
        failure_notice_sent)
      select claim_id, status, error_class, error_message, failed_at, shown_as_success, notified
      from ingest_new_claims)
    ${LEDGER_INSERT} ${ledgerValues("ingest_new_claims")}`);
}

// Claims that were there before, their primary-path rows and their ledger rows (the new version).
export async function updateIngestedClaims(tx: DbOrTx, rows: readonly IngestClaimRow[]) {
  if (rows.length === 0) return;
  const owned = sql`(c.triage_state in ('never_tried', 'duplicate', 'resolved_elsewhere')
    or (c.triage_state = 'excluded' and r.previous_parked_reason is not null
        and c.excluded_reason = r.previous_parked_reason))`;
  await copyToTemporary(tx, "ingest_changed_claims", [...CLAIM, ...PRIMARY, ...LEDGER_OWN], rows);
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
    from ingest_changed_claims r join ingest_stage s on s.key = r.stage_key
    where c.id = r.claim_id`);
  // Their primary-path rows.
  await tx.execute(sql`
    insert into primary_submissions (claim_id, status, error_class, error_message, failed_at, shown_as_success,
      failure_notice_sent)
    select claim_id, status, error_class, error_message, failed_at, shown_as_success, notified
    from ingest_changed_claims
    on conflict (claim_id) do update set status = excluded.status, error_class = excluded.error_class,
      error_message = excluded.error_message, failed_at = excluded.failed_at,
      shown_as_success = excluded.shown_as_success,
      failure_notice_sent = primary_submissions.failure_notice_sent or excluded.failure_notice_sent`);
  // Their ledger rows: the new version.
  await tx.execute(sql`
    ${LEDGER_INSERT} ${ledgerValues("ingest_changed_claims")}
    on conflict (source_system, source_id) do update set source_table = excluded.source_table,
      schema_version = excluded.schema_version, source_updated_at = excluded.source_updated_at,
      content_sha256 = excluded.content_sha256, record = excluded.record,
      parent_source_id = excluded.parent_source_id, category = excluded.category, rule = excluded.rule,
      rule_version = excluded.rule_version, facts = excluded.facts, reevaluate_at = excluded.reevaluate_at,
      parked_reason = excluded.parked_reason, versions = ingest_records.versions + 1, updated_at = now()`);
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
