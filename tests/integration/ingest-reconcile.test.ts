import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { startBackup } from "@/lib/backup/start-backup";
import { settleConflict } from "@/lib/ingest/settle-conflict";
import { makeDependents, makeRecord, postRecords, type RecordInput, sourceSystem } from "../support/ingest-records";

// Issue #12.4, reconciliation: a later record showing the claim succeeded elsewhere (accepted on the
// primary path, a backup accepted, remediated by hand) takes it off the triage list as resolved
// elsewhere with the evidence on its timeline; a backup of ours in flight makes it a conflict for a
// person instead; nothing is deleted, and the start rule refuses a resolved-elsewhere claim.

vi.hoisted(() => {
  process.env.INGEST_TOKENS = `test-ingest-token-${"k".repeat(32)}`;
});

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => close());

const DAY = 86_400_000;
const newer = (r: RecordInput, edit: (r: RecordInput) => void) => {
  const next = structuredClone(r);
  next.source.updatedAt = new Date(Date.parse(r.source.updatedAt) + DAY).toISOString();
  edit(next);
  return next;
};
const acceptedOnPrimary = (r: RecordInput) => {
  r.primary.claimId = "600123456" as never;
};
const backupAccepted = (r: RecordInput) => {
  r.backup.attempts = [
    {
      benefitsIntakeUuid: "1b0a4c1e-5f7a-4a51-9d7e-0b6c2b1e5a10",
      status: "accepted",
      createdAt: "2022-07-01T00:00:00Z",
    },
  ] as never;
};
const remediatedByHand = (r: RecordInput) => {
  r.remediations = [{ type: "manual", success: true, createdAt: "2022-07-02T00:00:00Z" }] as never;
};

async function state(claimId: number) {
  const [row] = await db.execute<{ triage_state: string; excluded_reason: string | null; attempt_count: number }>(
    sql`select triage_state, excluded_reason, attempt_count from saved_claims where id = ${claimId}`,
  );
  return row;
}
async function reconciliations(claimId: number) {
  return db.execute<{ outcome: string; rule: string; facts: Record<string, unknown>; state_before: string }>(
    sql`select outcome, rule, facts, state_before from ingest_reconciliations where claim_id = ${claimId} order by id`,
  );
}
// What a failed backup of ours leaves (one attempt), optionally still in flight (a retry queued).
async function giveBackup(claimId: number, options: { inFlight: boolean; status?: string; state?: string }) {
  await db.execute(sql`
    with s as (insert into backup_submissions (claim_id, form_type, latest_status, in_flight_since)
               values (${claimId}, '21-526EZ', 'failure', ${options.inFlight ? sql`now()` : sql`null`}) returning id)
    insert into backup_attempts (submission_id, claim_id, attempt_number, status, trigger, transient)
    select id, ${claimId}, 1, ${options.status ?? "failure"}, 'user', ${options.inFlight} from s`);
  const next = options.state ?? (options.inFlight ? "in_progress" : "failed");
  await db.execute(sql`update saved_claims set triage_state = ${next}::triage_state, attempt_count = 1
    where id = ${claimId}`);
}
async function created(record: RecordInput) {
  const { body } = await postRecords([record]);
  expect(body.results[0]).toMatchObject({ result: "created" });
  return body.results[0].claimId!;
}

describe("a later record showing success elsewhere", () => {
  it.each([
    ["accepted on the primary path", acceptedOnPrimary, "526.accepted_primary"],
    ["a backup accepted", backupAccepted, "526.accepted_backup"],
    ["remediated by hand", remediatedByHand, "526.remediated"],
  ] as const)("%s: the claim leaves the list as resolved elsewhere, with the evidence", async (_name, edit, rule) => {
    const v1 = makeRecord(sourceSystem());
    const claimId = await created(v1);
    expect(await state(claimId)).toMatchObject({ triage_state: "never_tried" });

    const { body } = await postRecords([newer(v1, edit)]);
    expect(body.results[0]).toMatchObject({ result: "updated", claimId });
    expect(await state(claimId)).toMatchObject({ triage_state: "resolved_elsewhere", excluded_reason: null });
    const rows = await reconciliations(claimId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "resolved_elsewhere", rule, state_before: "never_tried" });

    // The same record again, or a newer one still resolved: nothing more on the timeline.
    await postRecords([newer(newer(v1, edit), (r) => (r.veteran.email = "again@example.com"))]);
    expect(await reconciliations(claimId)).toHaveLength(1);
  });

  it("after a backup of ours failed: resolved elsewhere, the attempt kept; the start rule refuses it, force or not", async () => {
    const v1 = makeRecord(sourceSystem());
    const claimId = await created(v1);
    await giveBackup(claimId, { inFlight: false });
    await postRecords([newer(v1, backupAccepted)]);
    expect(await state(claimId)).toMatchObject({ triage_state: "resolved_elsewhere", attempt_count: 1 });
    expect((await reconciliations(claimId))[0]).toMatchObject({
      outcome: "resolved_elsewhere",
      state_before: "failed",
    });
    const [kept] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from backup_attempts where claim_id = ${claimId}`,
    );
    expect(kept.n).toBe(1);
    for (const force of [false, true]) {
      const outcome = await startBackup(db, { claimId, trigger: "user", userId: null, batchId: null, force });
      expect(outcome).toEqual({ claimId, started: false, reason: "resolved_elsewhere" });
    }
  });

  it("with a backup of ours queued or running: a conflict for a person, the claim and its backup left as they are", async () => {
    const v1 = makeRecord(sourceSystem());
    const claimId = await created(v1);
    await giveBackup(claimId, { inFlight: true, status: "pending" });
    await postRecords([newer(v1, acceptedOnPrimary)]);
    expect(await state(claimId)).toMatchObject({ triage_state: "in_progress" });
    const rows = await reconciliations(claimId);
    expect(rows).toEqual([
      expect.objectContaining({
        outcome: "conflict",
        rule: "526.accepted_primary",
        state_before: "in_progress",
        facts: expect.objectContaining({ claimId: "600123456" }),
      }),
    ]);
    const [open] = await db.execute<{ n: number }>(sql`select count(*)::int as n from ingest_reconciliations
      where claim_id = ${claimId} and outcome = 'conflict' and settled_at is null`);
    expect(open.n).toBe(1);
  });

  it("after our own upload reached Benefits Intake: noted, the claim keeps our outcome", async () => {
    const v1 = makeRecord(sourceSystem());
    const claimId = await created(v1);
    await giveBackup(claimId, { inFlight: false, status: "submitted", state: "submitted" });
    await postRecords([newer(v1, remediatedByHand)]);
    expect(await state(claimId)).toMatchObject({ triage_state: "submitted" });
    expect((await reconciliations(claimId))[0]).toMatchObject({ outcome: "noted", state_before: "submitted" });
  });

  it("an admin's exclusion stands, with the evidence beside it", async () => {
    const v1 = makeRecord(sourceSystem());
    const claimId = await created(v1);
    await db.execute(sql`update saved_claims set triage_state = 'excluded', excluded_reason = 'Veteran asked us to wait'
      where id = ${claimId}`);
    await postRecords([newer(v1, backupAccepted)]);
    expect(await state(claimId)).toMatchObject({
      triage_state: "excluded",
      excluded_reason: "Veteran asked us to wait",
    });
    expect((await reconciliations(claimId))[0]).toMatchObject({ outcome: "noted", state_before: "excluded" });
  });

  it("a claim we had tried comes back as failed (not never tried) when the source says it failed after all", async () => {
    const v1 = makeRecord(sourceSystem());
    const claimId = await created(v1);
    await giveBackup(claimId, { inFlight: false });
    const resolved = newer(v1, backupAccepted);
    await postRecords([resolved]);
    await postRecords([newer(resolved, (r) => ((r.backup.attempts[0] as { status: string }).status = "rejected"))]);
    expect(await state(claimId)).toMatchObject({ triage_state: "failed", attempt_count: 1 });
  });

  it("a 686c resolved elsewhere takes its 674s off the list with it", async () => {
    const system = sourceSystem();
    const { parent, children } = makeDependents(system, 2);
    const { body } = await postRecords([parent, ...children]);
    const [parentId, ...childIds] = body.results.map((r) => r.claimId!);
    await postRecords([
      newer(parent, (r) => {
        r.claimGroup = { parentId: r.source.id, status: "success" } as never;
      }),
    ]);
    for (const id of [parentId, ...childIds]) expect((await state(id)).triage_state).toBe("resolved_elsewhere");
    expect((await reconciliations(parentId))[0]).toMatchObject({ rule: "dependents.accepted_primary" });
  });
});

describe("a person settling a conflict", () => {
  async function conflicted() {
    const v1 = makeRecord(sourceSystem());
    const claimId = await created(v1);
    await giveBackup(claimId, { inFlight: true, status: "pending" });
    await postRecords([newer(v1, backupAccepted)]);
    return claimId;
  }
  async function admin() {
    const [row] = await db.execute<{ id: string; email: string; name: string }>(
      sql`select id, email, name from users where email = 'admin@example.com'`,
    );
    return { id: Number(row.id), email: row.email, name: row.name, role: "admin" as const };
  }
  const origin = { ip: null, userAgent: null };

  it("may call it resolved elsewhere only once our backup has ended; audited, the evidence kept", async () => {
    const claimId = await conflicted();
    const user = await admin();
    const early = await settleConflict(db, { claimId, decision: "resolved_elsewhere", reason: "TKT-1", user, origin });
    expect(early).toMatchObject({ ok: false, error: expect.stringMatching(/still queued or running/) });
    expect(await state(claimId)).toMatchObject({ triage_state: "in_progress" });

    // Our backup ends (it failed); then the person decides.
    await db.execute(sql`update backup_submissions set in_flight_since = null where claim_id = ${claimId}`);
    await db.execute(sql`update saved_claims set triage_state = 'failed' where id = ${claimId}`);
    expect(
      await settleConflict(db, { claimId, decision: "resolved_elsewhere", reason: "TKT-1", user, origin }),
    ).toEqual({ ok: true, settled: 1 });
    expect(await state(claimId)).toMatchObject({ triage_state: "resolved_elsewhere" });
    const [row] = await db.execute<{ settled: boolean; n: number }>(sql`
      select bool_and(settled_at is not null) as settled, count(*)::int as n from ingest_reconciliations
      where claim_id = ${claimId}`);
    expect(row).toEqual({ settled: true, n: 1 });
    const [audit] = await db.execute<{ action: string; reason: string; details: { decision: string } }>(sql`
      select action, reason, details from audit_events where ${claimId} = any(claim_ids) order by id desc limit 1`);
    expect(audit).toMatchObject({
      action: "claim.conflict_settle",
      reason: "TKT-1",
      details: { decision: "resolved_elsewhere" },
    });
    // Settled: nothing left to settle.
    expect(await settleConflict(db, { claimId, decision: "keep_ours", reason: "again", user, origin })).toMatchObject({
      ok: false,
    });
  });

  it("keeps our backup going when a person says ours stands", async () => {
    const claimId = await conflicted();
    const result = await settleConflict(db, {
      claimId,
      decision: "keep_ours",
      reason: "TKT-2",
      user: await admin(),
      origin,
    });
    expect(result).toEqual({ ok: true, settled: 1 });
    expect(await state(claimId)).toMatchObject({ triage_state: "in_progress" });
  });
});
