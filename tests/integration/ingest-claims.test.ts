import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { mayStartSql } from "@/lib/backup/rules";
import { getEnv } from "@/lib/env";
import { reevaluateDueRecords } from "@/lib/ingest/reevaluate";
import { ingestRecords } from "@/lib/ingest/write-records";
import { reevaluateIngestJob } from "@/lib/jobs/reevaluate-ingest";
import { getDocumentStorage } from "@/lib/storage";
import {
  footprint,
  makeDependents,
  makeRecord,
  postRecords,
  putFile,
  type RecordInput,
  sha256,
  sourceSystem,
} from "../support/ingest-records";
import { makeSizedPdf } from "../support/pdf-test-files";

// Issue #12, how ingested records land in the claims tables: a newer version updates the claim and
// keeps its triage history; groups find their parent whatever the order; duplicates of the same
// veteran and form; claims that wait for their evidence, released when the file arrives, and files
// refused when their bytes do not match their name.

vi.hoisted(() => {
  process.env.INGEST_TOKENS = `test-ingest-token-${"k".repeat(32)}`;
});

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => close());

type Claim = {
  id: number;
  triage_state: string;
  excluded_reason: string | null;
  black_hole: boolean;
  failure_notified: boolean;
  main_claim_id: number;
  group_id: number;
  duplicate_of: number | null;
  waiting_for: string | null;
  veteran_last_name: string;
  email: string | null;
  attempt_count: number;
  classification_rule: string;
};
async function claim(id: number | undefined): Promise<Claim> {
  const [row] = await db.execute<Claim>(sql`select * from saved_claims where id = ${id!}`);
  return { ...row, id: Number(row.id), main_claim_id: Number(row.main_claim_id), group_id: Number(row.group_id) };
}
const newer = (r: RecordInput, edit: (r: RecordInput) => void) => {
  const next = structuredClone(r);
  next.source.updatedAt = new Date(Date.parse(r.source.updatedAt) + 86_400_000).toISOString();
  edit(next);
  return next;
};

// Triage history of the kind the backup flow leaves: a failed attempt, a batch, an audit entry.
async function giveHistory(claimId: number) {
  await db.execute(sql`
    with s as (insert into backup_submissions (claim_id, form_type, latest_status)
               values (${claimId}, '21-526EZ', 'failure') returning id)
    insert into backup_attempts (submission_id, claim_id, attempt_number, status, trigger, error_message, transient)
    select id, ${claimId}, 1, 'failure', 'user', 'DOC103 unreadable', false from s`);
  await db.execute(sql`update saved_claims set triage_state = 'failed', attempt_count = 1,
    latest_attempt_status = 'failure' where id = ${claimId}`);
  await db.execute(sql`insert into audit_events (user_email, action, claim_count, claim_ids)
    values ('triager@example.com', 'claim.resubmit', 1, array[${claimId}]::bigint[])`);
}

describe("a newer version of a record", () => {
  it("updates the claim and keeps its triage history; an older one changes nothing", async () => {
    const system = sourceSystem();
    const v1 = makeRecord(system);
    const created = (await postRecords([v1])).body.results[0];
    await giveHistory(created.claimId!);

    const v2 = newer(v1, (r) => {
      r.veteran.lastName = "Renamed";
      r.veteran.email = "moved@example.com";
      r.notices = [{ template: "form526-failure", status: "delivered", at: "2022-07-01T00:00:00Z" }] as never;
    });
    const updated = (await postRecords([v2])).body.results[0];
    expect(updated).toMatchObject({ result: "updated", claimId: created.claimId });
    const c = await claim(created.claimId);
    expect(c).toMatchObject({
      veteran_last_name: "Renamed",
      email: "moved@example.com",
      triage_state: "failed", // the backup flow's, not the source's
      attempt_count: 1,
      failure_notified: true,
      black_hole: false,
    });
    const [history] = await db.execute<{ attempts: number; audit: number; versions: number }>(sql`
      select (select count(*)::int from backup_attempts where claim_id = ${c.id}) as attempts,
        (select count(*)::int from audit_events where ${c.id} = any(claim_ids)) as audit,
        (select versions from ingest_records where claim_id = ${c.id}) as versions`);
    expect(history).toEqual({ attempts: 1, audit: 1, versions: 2 });

    const before = await footprint(db, system);
    const stale = (await postRecords([v1])).body.results[0];
    expect(stale).toMatchObject({ result: "unchanged", claimId: c.id });
    expect(stale.note).toMatch(/older than the version held/);
    expect(await footprint(db, system)).toEqual(before);
  });

  it("takes a claim the source resolved off the list, and puts it back when the source says it failed after all", async () => {
    const system = sourceSystem();
    const v1 = makeRecord(system);
    const { claimId } = (await postRecords([v1])).body.results[0];
    const accepted = newer(v1, (r) => {
      r.backup.attempts = [
        {
          benefitsIntakeUuid: "1b0a4c1e-5f7a-4a51-9d7e-0b6c2b1e5a10",
          status: "accepted",
          createdAt: "2022-07-01T00:00:00Z",
        },
      ] as never;
    });
    await postRecords([accepted]);
    expect(await claim(claimId)).toMatchObject({
      triage_state: "resolved_elsewhere",
      excluded_reason: null,
      classification_rule: "526.accepted_backup",
    });
    const rejected = newer(accepted, (r) => {
      (r.backup.attempts[0] as { status: string }).status = "rejected";
    });
    await postRecords([rejected]);
    expect(await claim(claimId)).toMatchObject({ triage_state: "never_tried", excluded_reason: null });
  });

  it("never lifts an exclusion an admin made", async () => {
    const system = sourceSystem();
    const v1 = makeRecord(system);
    const { claimId } = (await postRecords([v1])).body.results[0];
    await db.execute(sql`update saved_claims set triage_state = 'excluded', excluded_reason = 'Veteran asked us to wait'
      where id = ${claimId!}`);
    await postRecords([newer(v1, (r) => (r.veteran.email = "x@example.com"))]);
    expect(await claim(claimId)).toMatchObject({
      triage_state: "excluded",
      excluded_reason: "Veteran asked us to wait",
    });
  });
});

describe("a database error no check foresaw", () => {
  it("refuses only the record it struck, and leaves nothing of it behind", async () => {
    await db.execute(sql`create or replace function ingest_test_explode() returns trigger language plpgsql as $$
      begin if new.veteran_last_name = 'Explode' then raise exception 'injected fault'; end if; return new; end $$`);
    await db.execute(sql`create trigger ingest_test_explode before insert on saved_claims
      for each row execute function ingest_test_explode()`);
    try {
      const system = sourceSystem();
      const records = [
        makeRecord(system),
        makeRecord(system, (r) => (r.veteran.lastName = "Explode")),
        makeRecord(system, (r) => (r.veteran.fileNumber = "1😀😀")), // its last four cut by character
      ];
      const { body } = await postRecords(records);
      expect(body.results.map((r) => r.result)).toEqual(["created", "refused", "created"]);
      expect(body.results[1].problems).toEqual([
        { path: "(record)", message: "could not be stored: database error P0001" },
      ]);
      expect(await footprint(db, system)).toMatchObject({ records: 2, claims: 2, groups: 2, primary: 2 });
      const [empty] = await db.execute<{ n: number }>(sql`
        select count(*)::int as n from ingest_groups g
        where g.source_system = ${system} and not exists (select 1 from saved_claims c where c.group_id = g.group_id)`);
      expect(empty.n).toBe(0);
    } finally {
      await db.execute(sql`drop trigger ingest_test_explode on saved_claims`);
      await db.execute(sql`drop function ingest_test_explode()`);
    }
  });
});

describe("time", () => {
  it("turns a claim in process into a failure when its three weeks run out, sent again or not", async () => {
    const system = sourceSystem();
    const inProcess = (r: RecordInput) => {
      r.claimDate = new Date(Date.now() - 5 * 86_400_000).toISOString();
      r.primary.jobs = [];
    };
    const [a, b] = [makeRecord(system, inProcess), makeRecord(system, inProcess)];
    const created = (await postRecords([a, b])).body.results;
    for (const r of created) expect(await claim(r.claimId)).toMatchObject({ triage_state: "excluded" });

    const later = new Date(Date.now() + 17 * 86_400_000);
    // the source sends one of them again, unchanged: its rule has changed, so it is written
    const [again] = await ingestRecords(db, [{ index: 0, value: a }], "api", later);
    expect(again.result).toBe("updated");
    expect(await claim(created[0].claimId)).toMatchObject({
      triage_state: "never_tried",
      excluded_reason: null,
      classification_rule: "526.no_path_confirmed",
    });
    // the other is found by its time alone
    const { examined, changed } = await reevaluateDueRecords(db, later);
    expect(examined).toBeGreaterThanOrEqual(1);
    expect(changed).toBeGreaterThanOrEqual(1);
    expect(await claim(created[1].claimId)).toMatchObject({ triage_state: "never_tried", black_hole: true });
    const [held] = await db.execute<{ reevaluate_at: string | null }>(
      sql`select reevaluate_at from ingest_records where claim_id = ${created[1].claimId!}`,
    );
    expect(held.reevaluate_at).toBeNull();
  });

  it("the worker's periodic job finds the claims whose time ran out, without anyone running a command", async () => {
    const system = sourceSystem();
    // Received 25 days ago, 5 days after its claim date: in process then, three weeks past it now.
    const receivedAt = new Date(Date.now() - 25 * 86_400_000);
    const record = makeRecord(system, (r) => {
      r.claimDate = new Date(receivedAt.getTime() - 5 * 86_400_000).toISOString();
      r.primary.jobs = [];
    });
    const [created] = await ingestRecords(db, [{ index: 0, value: record }], "api", receivedAt);
    expect(created.result).toBe("created");
    const claimId = (created as { claimId: number }).claimId;
    expect(await claim(claimId)).toMatchObject({ triage_state: "excluded" });

    const worker = { db } as unknown as Parameters<typeof reevaluateIngestJob.handler>[0];
    await reevaluateIngestJob.handler(worker, {}, {} as Parameters<typeof reevaluateIngestJob.handler>[2]);
    expect(await claim(claimId)).toMatchObject({
      triage_state: "never_tried",
      classification_rule: "526.no_path_confirmed",
    });
    expect(reevaluateIngestJob.periodic?.everySeconds({ statusPollSeconds: 60 })).toBeLessThanOrEqual(600);
  });
});

describe("claim groups", () => {
  it("puts a 686c and its 674s in one group under the 686c, whichever arrives first", async () => {
    const system = sourceSystem();
    const { parent, children } = makeDependents(system, 2);
    const early = (await postRecords([children[0]])).body.results[0];
    expect(early).toMatchObject({ result: "created", waitingFor: "parent_claim" });
    expect(await claim(early.claimId)).toMatchObject({ main_claim_id: early.claimId });

    const { results } = (await postRecords([parent, children[1]])).body;
    const parentId = results[0].claimId!;
    const all = await Promise.all([parentId, early.claimId, results[1].claimId].map(claim));
    expect(new Set(all.map((c) => c.group_id)).size).toBe(1);
    expect(all.map((c) => c.main_claim_id)).toEqual([parentId, parentId, parentId]);
    expect(all.map((c) => c.waiting_for)).toEqual([null, null, null]);
    expect(all.map((c) => c.triage_state)).toEqual(["never_tried", "never_tried", "never_tried"]);
    const [group] = await db.execute<{ parent_claim_id: string }>(
      sql`select parent_claim_id from claim_groups where id = ${all[0].group_id}`,
    );
    expect(Number(group.parent_claim_id)).toBe(parentId);
  });
});

describe("duplicates", () => {
  it("marks older submissions of the same veteran and form as duplicates of the newest, never across forms", async () => {
    const system = sourceSystem();
    // a name no other claim has, so the same-veteran key is this test's alone
    const veteran = { ...makeRecord(system).veteran, lastName: `Dupont${randomBytes(4).toString("hex")}` };
    const at = (iso: string, formType = "21-526EZ") =>
      makeRecord(system, (r) => {
        r.veteran = veteran;
        r.claimDate = iso;
        if (formType !== "21-526EZ") {
          r.formType = formType as never;
          r.claimGroup = { parentId: r.source.id, status: "failure" } as never;
        }
      });
    // the demo data's claim 5048 / 5043: a 526EZ and a 686c of one veteran, the 686c newer
    const [older526, newer686c, newer526] = [
      at("2021-03-01T10:00:00Z"),
      at("2022-05-01T10:00:00Z", "21-686C"),
      at("2021-09-01T10:00:00Z"),
    ];
    const [a, b] = (await postRecords([older526, newer686c])).body.results;
    expect(await claim(a.claimId)).toMatchObject({ triage_state: "never_tried", duplicate_of: null });
    expect(await claim(b.claimId)).toMatchObject({ triage_state: "never_tried", duplicate_of: null });

    const [c] = (await postRecords([newer526])).body.results;
    expect(await claim(c.claimId)).toMatchObject({ triage_state: "never_tried", duplicate_of: null });
    const old = await claim(a.claimId);
    expect(old.triage_state).toBe("duplicate");
    expect(Number(old.duplicate_of)).toBe(c.claimId);
    expect(await claim(b.claimId)).toMatchObject({ triage_state: "never_tried", duplicate_of: null });
  });
});

describe("duplicates when the newest copy succeeded elsewhere", () => {
  it("the older copy stays a duplicate of the resolved one and does not come back to be resubmitted", async () => {
    const system = sourceSystem();
    const veteran = { ...makeRecord(system).veteran, lastName: `Durand${randomBytes(4).toString("hex")}` };
    const at = (iso: string) =>
      makeRecord(system, (r) => {
        r.veteran = veteran;
        r.claimDate = iso;
      });
    const older = at("2021-03-01T10:00:00Z");
    const newest = at("2021-09-01T10:00:00Z");
    const [a, b] = (await postRecords([older, newest])).body.results;
    expect(await claim(a.claimId)).toMatchObject({ triage_state: "duplicate" });
    expect(Number((await claim(a.claimId)).duplicate_of)).toBe(b.claimId);

    // The source reports the newest accepted on the primary path.
    const accepted = newer(newest, (r) => {
      r.primary.claimId = "600123456" as never;
    });
    const [updated] = (await postRecords([accepted])).body.results;
    expect(updated).toMatchObject({ result: "updated", claimId: b.claimId });
    expect(await claim(b.claimId)).toMatchObject({ triage_state: "resolved_elsewhere" });
    const old = await claim(a.claimId);
    expect(old.triage_state).toBe("duplicate");
    expect(Number(old.duplicate_of)).toBe(b.claimId);
    // The start rule refuses it: it is not on the list of claims to resubmit.
    const [{ may }] = await db.execute<{ may: boolean }>(
      sql`select ${mayStartSql({ triageState: sql`c.triage_state`, inFlightSince: sql`null`, waitingFor: sql`c.waiting_for` }, false)} as may
        from saved_claims c where c.id = ${a.claimId!}`,
    );
    expect(may).toBe(false);
  });
});

describe("evidence files", () => {
  it("holds a claim until its evidence arrives, refusing bytes that do not match their hash", async () => {
    const system = sourceSystem();
    const bytes = await makeSizedPdf([[612, 792]], { text: `evidence ${randomBytes(8).toString("hex")}` });
    const hash = sha256(bytes);
    const record = makeRecord(system, (r) => {
      r.evidence = [{ sha256: hash, fileName: "letter.pdf", contentType: "application/pdf", byteSize: bytes.length }];
    });
    const created = (await postRecords([record])).body.results[0];
    expect(created.waitingFor).toBe("evidence");
    const waiting = await db.execute<{ may: boolean }>(sql`
      select ${mayStartSql({ triageState: sql`c.triage_state`, inFlightSince: sql`null`, waitingFor: sql`c.waiting_for` }, true)} as may
      from saved_claims c where c.id = ${created.claimId!}`);
    expect(waiting[0].may).toBe(false);

    const storage = getDocumentStorage(getEnv());
    const forged = Buffer.concat([bytes, Buffer.from("tampered")]);
    const mismatch = await putFile(hash, forged);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.actual).toBe(sha256(forged));
    expect(await storage.has(hash)).toBe(false);
    expect(await storage.has(sha256(forged))).toBe(false);
    expect((await claim(created.claimId)).waiting_for).toBe("evidence");

    expect((await putFile(hash, bytes, null)).status).toBe(401);
    expect((await putFile(hash, bytes, "not-the-token-not-the-token-not-the-token")).status).toBe(401);

    const stored = await putFile(hash, bytes);
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({
      result: "stored",
      byteSize: bytes.length,
      contentType: "application/pdf",
      released: 1,
    });
    expect(Buffer.from(await storage.read(hash)).equals(Buffer.from(bytes))).toBe(true);
    expect((await claim(created.claimId)).waiting_for).toBe(null);
    expect((await putFile(hash, bytes)).status).toBe(200);

    // a later claim citing a file already here does not wait
    const second = (await postRecords([makeRecord(system, (r) => (r.evidence = record.evidence))])).body.results[0];
    expect(second.waitingFor).toBe(null);
    const [attachment] = await db.execute<{ storage_key: string; file_name: string }>(
      sql`select storage_key, file_name from persistent_attachments where claim_id = ${second.claimId!}`,
    );
    expect(attachment).toEqual({ storage_key: hash, file_name: "letter.pdf" });
  });

  it("refuses a bad name, a file over 100 MB, an empty file and one that is not a PDF, JPEG or PNG", async () => {
    expect((await putFile("ABC", new Uint8Array([1]))).status).toBe(400);
    const big = new Uint8Array(1024);
    const huge = await (async () => {
      const { PUT } = await import("@/app/api/ingest/files/[sha256]/route");
      const response = await PUT(
        new Request(`http://localhost/api/ingest/files/${sha256(big)}`, {
          method: "PUT",
          body: big,
          headers: {
            authorization: `Bearer test-ingest-token-${"k".repeat(32)}`,
            "content-length": String(101 * 1024 * 1024),
          },
        }),
        { params: Promise.resolve({ sha256: sha256(big) }) },
      );
      return response.status;
    })();
    expect(huge).toBe(413);
    expect((await putFile(sha256(new Uint8Array()), new Uint8Array())).status).toBe(400);
    const text = Buffer.from(`just text ${randomBytes(4).toString("hex")}`);
    expect((await putFile(sha256(text), text)).status).toBe(415);
    expect(await getDocumentStorage(getEnv()).has(sha256(text))).toBe(false);
  });
});
