import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { createClaimGroup } from "../support/claims-factory";
import { makeRecord, OTHER_TOKEN, postRecords, sourceSystem, TOKEN } from "../support/ingest-records";

// Issue #12.5, the remediation feed over its route handler: every backup outcome of ours for an
// ingested claim, in a stable order, read page by page with a cursor while new outcomes arrive — and
// an outcome whose transaction commits late is not jumped over by a cursor that went past it.

vi.hoisted(() => {
  process.env.INGEST_TOKENS = `test-ingest-token-${"k".repeat(32)},test-ingest-rotated-${"r".repeat(32)}`;
});

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
afterAll(async () => close());

type Entry = {
  cursor: string;
  source: { system: string; id: string };
  claimId: number;
  attempt: number;
  benefitsIntakeUuid: string | null;
  status: string;
  endState: string | null;
  failureEmail: string | null;
};
type Page = { entries: Entry[]; next: string | null; more: boolean; error?: string };

async function feed(query: string, token: string | null = TOKEN): Promise<{ status: number; body: Page }> {
  const { GET } = await import("@/app/api/ingest/remediations/route");
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await GET(new Request(`http://localhost/api/ingest/remediations${query}`, { headers }));
  return { status: response.status, body: (await response.json()) as Page };
}

// Every page from `after` until the feed has nothing more, this test's source only.
async function readAll(after: string | null, system: string, limit: number) {
  const seen: Entry[] = [];
  let cursor = after;
  for (let pages = 0; pages < 1000; pages++) {
    const { status, body } = await feed(`?limit=${limit}${cursor ? `&after=${cursor}` : ""}`);
    expect(status).toBe(200);
    seen.push(...body.entries.filter((e) => e.source.system === system));
    cursor = body.next;
    if (!body.more) break;
  }
  return { seen, cursor };
}

async function ingestClaims(system: string, n: number) {
  const { body } = await postRecords(Array.from({ length: n }, () => makeRecord(system)));
  return body.results.map((r) => r.claimId!);
}

async function newAttempt(claimId: number, attempt: number, uuid: string) {
  await db.execute(sql`
    with s as (insert into backup_submissions (claim_id, form_type) values (${claimId}, '21-526EZ')
               on conflict (claim_id) do update set updated_at = now() returning id)
    insert into backup_attempts (submission_id, claim_id, attempt_number, status, trigger, benefits_intake_uuid)
    select id, ${claimId}, ${attempt}, 'pending', 'batch', ${uuid}::uuid from s`);
}
const setStatus = (claimId: number, attempt: number, status: string) =>
  db.execute(sql`update backup_attempts set status = ${status}::attempt_status
    where claim_id = ${claimId} and attempt_number = ${attempt}`);
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("GET /api/ingest/remediations", () => {
  it("needs an ingest token (either of the rotated pair) and a cursor it gave", async () => {
    expect((await feed("", null)).status).toBe(401);
    expect((await feed("", "not-a-token-at-all-but-long-enough-xxxxxx")).status).toBe(401);
    expect((await feed("?limit=1", OTHER_TOKEN)).status).toBe(200);
    expect((await feed("?after=abc")).status).toBe(400);
    expect((await feed("?limit=0")).status).toBe(400);
    expect((await feed("?limit=1001")).status).toBe(400);
  });

  it("reads every outcome once, in order, across pages, while new outcomes arrive", async () => {
    const system = sourceSystem();
    const start = (await readAll(null, system, 1000)).cursor;
    const claims = await ingestClaims(system, 4);
    for (const [i, id] of claims.entries()) {
      await newAttempt(id, 1, uuid(i));
      await setStatus(id, 1, "submitted");
    }
    // A page of two, then more outcomes arrive (one end state, one failure with its e-mail), then the rest.
    const first = await feed(`?limit=2${start ? `&after=${start}` : ""}`);
    const mine = first.body.entries.filter((e) => e.source.system === system);
    await setStatus(claims[0], 1, "vbms");
    await setStatus(claims[1], 1, "error");
    await db.execute(sql`insert into notifications (claim_id, attempt_id, template, recipient, status, personalisation)
      select claim_id, id, 'backup_failed', 'veteran@example.com', 'sent', '{}'::jsonb from backup_attempts
      where claim_id = ${claims[1]} and attempt_number = 1`);
    const rest = await readAll(first.body.next, system, 2);
    const all = [...mine, ...rest.seen];

    expect(all.map((e) => [e.claimId, e.status])).toEqual([
      ...claims.map((id) => [id, "submitted"]),
      [claims[0], "vbms"],
      [claims[1], "error"],
    ]);
    expect(new Set(all.map((e) => e.cursor)).size).toBe(all.length);
    expect(all.at(-2)).toMatchObject({ endState: "vbms", benefitsIntakeUuid: uuid(0), attempt: 1 });
    expect(all.at(-1)).toMatchObject({ endState: "error", failureEmail: "sent" });
    expect(all[0].source.id).toBe(
      (
        await db.execute<{ source_id: string }>(sql`select source_id from ingest_records where claim_id = ${claims[0]}`)
      )[0].source_id,
    );

    // Nothing new: the same cursor back, no entries.
    const again = await readAll(rest.cursor, system, 2);
    expect(again.seen).toEqual([]);
  });

  it("waits for an outcome whose transaction is still open rather than passing it", async () => {
    const system = sourceSystem();
    const [early, late] = await ingestClaims(system, 2);
    const start = (await readAll(null, system, 1000)).cursor;
    await newAttempt(early, 1, uuid(100));
    await newAttempt(late, 1, uuid(101));

    // A transaction writes the early claim's outcome and stays open while another commits the late one's.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let written: () => void = () => {};
    const wrote = new Promise<void>((resolve) => {
      written = resolve;
    });
    const open = db.transaction(async (tx) => {
      await tx.execute(sql`update backup_attempts set status = 'submitted' where claim_id = ${early}`);
      written();
      await held;
    });
    await wrote;
    await setStatus(late, 1, "submitted");

    const during = await readAll(start, system, 1000);
    expect(during.seen).toEqual([]); // the late one waits behind the open transaction
    release();
    await open;
    let after: Entry[] = [];
    for (let i = 0; i < 50 && after.length < 2; i++) {
      after = (await readAll(during.cursor, system, 1000)).seen;
      if (after.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(after.map((e) => e.claimId)).toEqual([early, late]);
  });

  it("says nothing of claims that did not come from a source", async () => {
    // A claim of its own: the demo seed now comes through ingest, so none of its claims would do.
    const seeded = { id: (await createClaimGroup(db)).mainClaimId };
    await newAttempt(Number(seeded.id), 1, uuid(200));
    await setStatus(Number(seeded.id), 1, "submitted");
    const after = await db.execute<{ n: number }>(sql`select count(*)::int as n from ingest_remediation_events
      where claim_id = ${seeded.id}`);
    expect(after[0].n).toBe(0);
  });
});
