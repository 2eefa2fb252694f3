import { type SQL, sql } from "drizzle-orm";
import { idArray } from "../bind-array";
import type { DbOrTx } from "../client";
import { recordset } from "./ingest-claims";

// The claim groups ingest touched, put in order after its rows are written (db/queries/ingest-claims.ts).
//
// Each statement here first reads what must change, finding rows by one index probe per key — a
// lateral subquery fenced by `offset 0` (or `limit 1` on a unique key) runs once per key and is
// never flattened into a join — then writes exactly those rows by primary key. While a bulk load
// fills the tables from empty their statistics lag far behind, and the planner took a filter like
// `group_id = any(…)` over a chunk's thousand groups for most of saved_claims: a full scan, 45 ms a
// chunk at 10,000 claims, 165 ms at 80,000, 1.3–4 s around a plan flip, 26 s in all under the ingest
// lock over a 1,000,000-record import. A change is written only while the row still holds what the
// read saw where that matters (a batch may queue a claim meanwhile: it is then left alone).

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

// The claims of the given groups, each group by its own probe of saved_claims_group_idx.
const claimsOf = (groups: readonly number[]) => sql`unnest(${idArray(groups)}) as k(group_id)
  cross join lateral (select c.id, c.main_claim_id, c.file_number, c.veteran_last_name, c.form_type, c.triage_state,
                        c.excluded_reason, c.duplicate_of
                      from saved_claims c where c.group_id = k.group_id offset 0) c`;

type ChangeColumns = Record<string, string>; // column → its SQL type

// Writes the changes a read found, by primary key; `guard` keeps a row that moved since the read as it is.
async function writeChanges(
  tx: DbOrTx,
  table: "saved_claims" | "claim_groups",
  columns: ChangeColumns,
  rows: readonly Record<string, unknown>[],
  guard: SQL = sql`true`,
) {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  await tx.execute(sql`
    update ${sql.raw(table)} t set ${sql.raw(names.map((c) => `${c} = r.${c}`).join(", "))}, updated_at = now()
    from ${recordset(rows, `id bigint, ${names.map((c) => `${c} ${columns[c]}`).join(", ")}`)}
    where t.id = r.id and ${guard}`);
}

// After the rows are written, the groups they touched are put in order: each child points at its
// group's parent claim once that has arrived, duplicates are marked, children follow their main
// claim's state, and each main claim says what it is still waiting for. `shared`: the groups that
// may hold more than one claim (a child was written, or the group was there before); `waiting`:
// those whose main claim may wait for something (those, and any with evidence). A new group of
// one 526EZ needs neither, which keeps the common case to one statement.
export async function settleGroups(
  tx: DbOrTx,
  groupIds: { all: readonly number[]; shared: readonly number[]; waiting: readonly number[] },
) {
  const shared = [...new Set(groupIds.shared)];
  if (shared.length > 0) {
    await pointChildrenAtParents(tx, shared);
    await recordGroupParents(tx, shared);
  }
  if (groupIds.all.length > 0) await markDuplicates(tx, [...new Set(groupIds.all)]);
  if (shared.length > 0) await followMainClaims(tx, shared);
  if (groupIds.waiting.length > 0)
    await refreshWaiting(tx, sql`select c.id from ${claimsOf([...new Set(groupIds.waiting)])}`);
}

// A group's parent claim (its 686c) is the claim of the record the group is named after.
async function pointChildrenAtParents(tx: DbOrTx, groups: readonly number[]) {
  const moved = rowsOf<{ id: string; main_claim_id: string }>(
    await tx.execute(sql`
      select c.id, r.claim_id as main_claim_id
      from ${claimsOf(groups)}
        cross join lateral (select g.source_system, g.parent_source_id from ingest_groups g
                            where g.group_id = k.group_id limit 1) g
        cross join lateral (select r.claim_id from ingest_records r
                            where r.source_system = g.source_system and r.source_id = g.parent_source_id limit 1) r
      where c.main_claim_id is distinct from r.claim_id`),
  );
  await writeChanges(tx, "saved_claims", { main_claim_id: "bigint" }, moved);
}

async function recordGroupParents(tx: DbOrTx, groups: readonly number[]) {
  const changed = rowsOf<{ id: string; parent_claim_id: string }>(
    await tx.execute(sql`
      select m.group_id as id, m.parent_claim_id
      from (select k.group_id, min(c.id) as parent_claim_id from ${claimsOf(groups)}
            where c.main_claim_id = c.id group by k.group_id) m
        cross join lateral (select g.parent_claim_id from claim_groups g where g.id = m.group_id limit 1) g
      where g.parent_claim_id is distinct from m.parent_claim_id`),
  );
  await writeChanges(tx, "claim_groups", { parent_claim_id: "bigint" }, changed);
}

// Several submissions of the same veteran (file number and last name) and the same form: the newest
// stands, the others are its duplicates. Only claims ingest owns move between the two states; a
// different form is never a duplicate (a 526EZ is not the duplicate of a 686c). A newest copy that
// succeeded elsewhere still stands: the older copies stay its duplicates rather than coming back
// to the list as the one to resubmit (the veteran's form already reached the VA).
async function markDuplicates(tx: DbOrTx, groups: readonly number[]) {
  const changed = rowsOf<{ id: string; triage_state: string; duplicate_of: string | null }>(
    await tx.execute(sql`
      with keys as (
        select distinct c.file_number, lower(c.veteran_last_name) as last_name, c.form_type
        from ${claimsOf(groups)} where c.main_claim_id = c.id),
      ranked as (
        select c.id, c.triage_state, c.duplicate_of,
          first_value(c.id) over (partition by k.file_number, k.last_name, k.form_type
                                  order by c.submitted_at desc, c.id desc) as keeper
        from keys k cross join lateral (
          select c.id, c.triage_state, c.duplicate_of, c.submitted_at from saved_claims c
          where c.file_number = k.file_number and lower(c.veteran_last_name) = k.last_name
            and c.form_type = k.form_type and c.main_claim_id = c.id and c.triage_state <> 'excluded' offset 0) c),
      decided as (
        select id, triage_state as was, duplicate_of as was_duplicate_of,
          case when id = keeper then 'never_tried' else 'duplicate' end as triage_state,
          nullif(keeper, id) as duplicate_of
        from ranked where triage_state in ('never_tried', 'duplicate'))
      select id, triage_state, duplicate_of from decided
      where was::text <> triage_state or was_duplicate_of is distinct from duplicate_of`),
  );
  await writeChanges(
    tx,
    "saved_claims",
    { triage_state: "triage_state", duplicate_of: "bigint" },
    changed,
    sql`t.triage_state in ('never_tried', 'duplicate')`,
  );
}

// A child (a 674) is never triaged on its own: it takes its main claim's state.
async function followMainClaims(tx: DbOrTx, groups: readonly number[]) {
  const changed = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`
      select c.id, m.triage_state, m.excluded_reason, m.duplicate_of
      from ${claimsOf(groups)}
        cross join lateral (select m.triage_state, m.excluded_reason, m.duplicate_of from saved_claims m
                            where m.id = c.main_claim_id limit 1) m
      where c.main_claim_id <> c.id
        and (c.triage_state, c.excluded_reason, c.duplicate_of)
          is distinct from (m.triage_state, m.excluded_reason, m.duplicate_of)`),
  );
  await writeChanges(
    tx,
    "saved_claims",
    { triage_state: "triage_state", excluded_reason: "text", duplicate_of: "bigint" },
    changed,
  );
}

// What a main claim still waits for before a backup may start (lib/backup/rules.ts): its group's
// parent claim (a 674 that came first), or an evidence file not yet received. Children wait for
// nothing. `scope`: a query of the ids of the claims to look at. Returns the claims that changed.
export async function refreshWaiting(tx: DbOrTx, scope: SQL): Promise<{ id: number; waitingFor: string | null }[]> {
  const changed = rowsOf<{ id: string; waiting_for: string | null }>(
    await tx.execute(sql`
      with scoped as materialized (
        select m.id, m.main_claim_id, m.waiting_for from (select distinct id from (${scope}) as s(id)) s
          cross join lateral (select m.id, m.main_claim_id, m.waiting_for from saved_claims m
                              where m.id = s.id limit 1) m),
      w as (
        select s.id, s.waiting_for, case
          when s.main_claim_id <> s.id then null
          when r.parent_source_id <> r.source_id then 'parent_claim'
          when x.missing > 0 then 'evidence'
          end as value
        from scoped s
          left join lateral (select r.parent_source_id, r.source_id from ingest_records r
                             where r.claim_id = s.id limit 1) r on true
          -- the group's evidence files not received, counted by probes from this main claim (an
          -- exists or a join here was planned as a scan per claim, or of the whole list per claim)
          cross join lateral (
            select count(*) as missing
            from (select c.id from saved_claims c where c.main_claim_id = s.id and s.main_claim_id = s.id offset 0) c
              cross join lateral (select pa.storage_key from persistent_attachments pa
                                  where pa.claim_id = c.id offset 0) pa
              left join lateral (select true as found from ingest_files f where f.sha256 = pa.storage_key limit 1) f
                on true
            where pa.storage_key ~ '^[0-9a-f]{64}$' and f.found is null) x)
      select id, value as waiting_for from w where waiting_for is distinct from value`),
  );
  await writeChanges(tx, "saved_claims", { waiting_for: "text" }, changed);
  return changed.map((r) => ({ id: Number(r.id), waitingFor: r.waiting_for }));
}

export async function getWaiting(tx: DbOrTx, claimIds: readonly number[]) {
  if (claimIds.length === 0) return new Map<number, string | null>();
  const rows = rowsOf<{ id: string; waiting_for: string | null }>(
    await tx.execute(sql`
      select c.id, m.waiting_for from saved_claims c join saved_claims m on m.id = c.main_claim_id
      where c.id = any(${idArray(claimIds)})`),
  );
  return new Map(rows.map((r) => [Number(r.id), r.waiting_for]));
}
