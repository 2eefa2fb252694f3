import { type SQL, sql } from "drizzle-orm";
import { idArray } from "../bind-array";
import type { DbOrTx } from "../client";

// The claim groups ingest touched, put in order after its rows are written (db/queries/ingest-claims.ts).

const rowsOf = <T>(result: unknown) => Array.from(result as Iterable<T>);

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
  if (groupIds.shared.length > 0) {
    const shared = idArray([...new Set(groupIds.shared)]);
    await tx.execute(sql`
      with parents as (
        select g.group_id, r.claim_id from ingest_groups g join ingest_records r
          on r.source_system = g.source_system and r.source_id = g.parent_source_id
        where g.group_id = any(${shared}))
      update saved_claims c set main_claim_id = p.claim_id, updated_at = now()
      from parents p
      where c.group_id = any(${shared}) and c.group_id = p.group_id and c.main_claim_id is distinct from p.claim_id`);
    await tx.execute(sql`
      update claim_groups g set parent_claim_id = m.id, updated_at = now()
      from (select group_id, min(main_claim_id) as id from saved_claims
            where group_id = any(${shared}) and main_claim_id = id group by group_id) m
      where g.id = m.group_id and g.parent_claim_id is distinct from m.id`);
  }
  if (groupIds.all.length > 0) await markDuplicates(tx, idArray([...new Set(groupIds.all)]));
  if (groupIds.shared.length > 0) {
    await tx.execute(sql`
      update saved_claims c set triage_state = m.triage_state, excluded_reason = m.excluded_reason,
        duplicate_of = m.duplicate_of, updated_at = now()
      from saved_claims m
      where c.group_id = any(${idArray([...new Set(groupIds.shared)])}) and c.main_claim_id = m.id and c.id <> m.id
        and (c.triage_state, c.excluded_reason, c.duplicate_of)
          is distinct from (m.triage_state, m.excluded_reason, m.duplicate_of)`);
  }
  if (groupIds.waiting.length > 0)
    await refreshWaiting(tx, sql`m.group_id = any(${idArray([...new Set(groupIds.waiting)])})`);
}

// Several submissions of the same veteran (file number and last name) and the same form: the newest
// stands, the others are its duplicates. Only claims ingest owns move between the two states; a
// different form is never a duplicate (a 526EZ is not the duplicate of a 686c). A newest copy that
// succeeded elsewhere still stands: the older copies stay its duplicates rather than coming back
// to the list as the one to resubmit (the veteran's form already reached the VA).
async function markDuplicates(tx: DbOrTx, groups: SQL) {
  await tx.execute(sql`
    with keys as (
      select distinct file_number, lower(veteran_last_name) as last_name, form_type from saved_claims
      where group_id = any(${groups}) and main_claim_id = id),
    ranked as (
      select c.id, c.triage_state, c.duplicate_of,
        first_value(c.id) over (partition by c.file_number, lower(c.veteran_last_name), c.form_type
                                order by c.submitted_at desc, c.id desc) as keeper
      from saved_claims c join keys k on c.file_number = k.file_number
        and lower(c.veteran_last_name) = k.last_name and c.form_type = k.form_type
      where c.main_claim_id = c.id and c.triage_state <> 'excluded')
    update saved_claims c set
      triage_state = case when r.id = r.keeper then 'never_tried' else 'duplicate' end::triage_state,
      duplicate_of = nullif(r.keeper, r.id), updated_at = now()
    from ranked r
    where c.id = r.id and r.triage_state in ('never_tried', 'duplicate')
      and (r.triage_state <> case when r.id = r.keeper then 'never_tried' else 'duplicate' end::triage_state
           or r.duplicate_of is distinct from nullif(r.keeper, r.id))`);
}

// What a main claim still waits for before a backup may start (lib/backup/rules.ts): its group's
// parent claim (a 674 that came first), or an evidence file not yet received. Children wait for nothing.
export async function refreshWaiting(tx: DbOrTx, scope: SQL): Promise<{ id: number; waitingFor: string | null }[]> {
  // Set-based, with no per-claim subquery: while a bulk load fills the tables from empty their
  // statistics lag far behind, and a per-claim probe (lateral … limit 1) was then planned as a scan
  // of every attachment for each claim — a minute for one chunk of 5,000 at 15,000 claims. Joins
  // over the chunk's claims stay linear whatever the planner believes about the tables' sizes.
  const changed = await tx.execute(sql`
    with scoped as (
      select m.id, m.main_claim_id, m.waiting_for from saved_claims m where ${scope}),
    missing as (
      select distinct c.main_claim_id as id
      from scoped s join saved_claims c on c.main_claim_id = s.id
        join persistent_attachments pa on pa.claim_id = c.id
        left join ingest_files f on f.sha256 = pa.storage_key
      where s.main_claim_id = s.id and pa.storage_key ~ '^[0-9a-f]{64}$' and f.sha256 is null),
    w as (
      select s.id, s.waiting_for, case
        when s.main_claim_id <> s.id then null
        when r.parent_source_id <> r.source_id then 'parent_claim'
        when x.id is not null then 'evidence'
        end as value
      from scoped s
        left join ingest_records r on r.claim_id = s.id
        left join missing x on x.id = s.id)
    update saved_claims m set waiting_for = w.value
    from w
    where m.id = w.id and w.waiting_for is distinct from w.value
    returning m.id, m.waiting_for`);
  return rowsOf<{ id: string; waiting_for: string | null }>(changed).map((r) => ({
    id: Number(r.id),
    waitingFor: r.waiting_for,
  }));
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
