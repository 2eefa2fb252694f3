import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/db/client";
import {
  type ClaimSortId,
  type ClaimsFilter,
  COUNT_CAP,
  claimsOrderBy,
  claimsWhere,
  countClaims,
  getClaimsPage,
  getFailureReasonCounts,
} from "@/db/queries/claims-list";
import { savedClaims } from "@/db/schema";
import { claimsCsvPages } from "@/lib/claims/export";
import { loadClaimsPage } from "@/lib/claims/load-claims";
import { parseClaimsSearch } from "@/lib/claims/search-params";
import { selectionWhere } from "@/lib/claims/selection-where";
import { createClaimGroup } from "../support/claims-factory";

// The claims list's SQL against the seeded demo data: every filter agrees with the same rule applied
// row by row in JavaScript, every sort agrees with a plain ORDER BY, and nothing a user types is SQL.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
afterAll(async () => close());

type Claim = {
  id: number;
  form_type: string;
  triage_state: string;
  black_hole: boolean;
  failure_notified: boolean;
  failure_reason: string | null;
  latest_batch_id: number | null;
  submitted_at: string;
  veteran_last_name: string;
  file_last4: string;
  file_number: string;
  main_claim_id: number;
  guid: string;
};
let claims: Claim[] = [];

beforeAll(async () => {
  claims = Array.from(
    await db.execute(sql`
    select id::int, form_type, triage_state, black_hole, failure_notified, failure_reason, latest_batch_id::int,
           to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as submitted_at,
           veteran_last_name, file_last4, file_number, coalesce(main_claim_id, id)::int as main_claim_id, guid::text
    from saved_claims`),
  ) as unknown as Claim[];
});

async function idsWhere(where: SQL) {
  const rows = await db.select({ id: savedClaims.id }).from(savedClaims).where(where);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}
const idsOf = (rows: Claim[]) => rows.map((c) => c.id).sort((a, b) => a - b);
const day = (c: Claim) => c.submitted_at.slice(0, 10);
const pii = { piiSearch: true };

describe("claimsWhere", () => {
  it("matches every filter the way the triage team means it", async () => {
    expect(claims.length).toBeGreaterThan(2_000);
    // The seed has veterans told and never told, so the notified filter has both sides to tell apart.
    expect(claims.some((c) => c.failure_notified) && claims.some((c) => !c.failure_notified)).toBe(true);
    const reason = claims.find((c) => c.failure_reason?.startsWith("EVSS error"))!.failure_reason!;
    const cases: [ClaimsFilter, (c: Claim) => boolean][] = [
      [{}, () => true],
      [{ formTypes: ["21-674"] }, (c) => c.form_type === "21-674"],
      [{ formTypes: ["21-526EZ", "21-686C"] }, (c) => c.form_type !== "21-674"],
      [
        { triageStates: ["never_tried", "failed"] },
        (c) => c.triage_state === "never_tried" || c.triage_state === "failed",
      ],
      [{ triageStates: ["duplicate"] }, (c) => c.triage_state === "duplicate"],
      [{ blackHole: true }, (c) => c.black_hole],
      [{ blackHole: false }, (c) => !c.black_hole],
      [{ failureNotified: true }, (c) => c.failure_notified],
      [
        { triageStates: ["failed", "never_tried"], failureNotified: false },
        (c) => (c.triage_state === "failed" || c.triage_state === "never_tried") && !c.failure_notified,
      ],
      [{ failureReason: reason }, (c) => c.failure_reason === reason],
      [{ batchId: 2 }, (c) => c.latest_batch_id === 2],
      [
        { submittedFrom: "2022-03-01", submittedTo: "2022-03-31" },
        (c) => day(c) >= "2022-03-01" && day(c) <= "2022-03-31",
      ],
      [{ submittedTo: "2021-01-31" }, (c) => day(c) <= "2021-01-31"],
      [
        { formTypes: ["21-526EZ"], triageStates: ["never_tried"], blackHole: true, failureReason: reason },
        (c) =>
          c.form_type === "21-526EZ" && c.triage_state === "never_tried" && c.black_hole && c.failure_reason === reason,
      ],
    ];
    for (const [filter, rule] of cases) {
      const expected = idsOf(claims.filter(rule));
      expect(await idsWhere(claimsWhere(filter, pii)), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it("searches claim id, confirmation number and Benefits Intake uuid for everyone", async () => {
    const some = claims[100];
    for (const piiSearch of [true, false]) {
      expect(await idsWhere(claimsWhere({ q: String(some.id) }, { piiSearch }))).toContain(some.id);
      expect(await idsWhere(claimsWhere({ q: some.guid.toUpperCase() }, { piiSearch }))).toEqual([some.id]);
    }
    // A Benefits Intake uuid finds the main claim and the 674s travelling with it.
    const [attempt] = Array.from(
      await db.execute(sql`
      select a.benefits_intake_uuid::text as uuid, a.claim_id::int as claim_id from backup_attempts a
      join saved_claims c on c.id = a.claim_id
      where c.form_type = '21-686C'
        and exists (select 1 from saved_claims k where k.main_claim_id = c.id and k.id <> c.id)
      limit 1`),
    ) as unknown as { uuid: string; claim_id: number }[];
    const group = idsOf(claims.filter((c) => c.main_claim_id === attempt.claim_id));
    expect(group.length).toBeGreaterThan(1);
    expect(await idsWhere(claimsWhere({ q: attempt.uuid }, { piiSearch: false }))).toEqual(group);
  });

  it("searches names and file numbers only for users cleared for PII", async () => {
    const some = claims.find((c) => /^[A-Za-z]+$/.test(c.veteran_last_name))!;
    const byName = idsOf(
      claims.filter((c) => c.veteran_last_name.toLowerCase() === some.veteran_last_name.toLowerCase()),
    );
    expect(await idsWhere(claimsWhere({ q: some.veteran_last_name.toUpperCase() }, pii))).toEqual(byName);
    expect(await idsWhere(claimsWhere({ q: some.veteran_last_name }, { piiSearch: false }))).toEqual([]);

    const last4 = claims[7].file_last4;
    const byLast4 = idsOf(claims.filter((c) => c.file_last4 === last4 || String(c.id) === last4));
    expect(await idsWhere(claimsWhere({ q: last4 }, pii))).toEqual(byLast4);
    expect(await idsWhere(claimsWhere({ q: last4 }, { piiSearch: false }))).toEqual(
      idsOf(claims.filter((c) => String(c.id) === last4)),
    );
  });

  it("treats SQL-looking text as plain text: nothing matches and nothing changes", async () => {
    const before = await db.execute(sql`select count(*)::int as n from saved_claims`);
    for (const q of [
      "'; drop table saved_claims; --",
      "1 or 1=1",
      "x' or 'a'='a",
      "%",
      "_",
      "\\",
      "Robert'); DROP TABLE saved_claims;--",
    ]) {
      for (const piiSearch of [true, false]) {
        expect(await idsWhere(claimsWhere({ q }, { piiSearch })), q).toEqual([]);
        const page = await getClaimsPage(db, {
          where: claimsWhere({ q }, { piiSearch }),
          sort: { id: "submittedAt", desc: true },
          pageIndex: 0,
          pageSize: 25,
        });
        expect(page.records).toEqual([]);
      }
    }
    const after = await db.execute(sql`select count(*)::int as n from saved_claims`);
    expect(after[0].n).toEqual(before[0].n);
  });

  it("leaves out claims created after a frozen filter's time", async () => {
    await db
      .transaction(async (tx) => {
        const frozenAt = new Date(Date.now() - 60_000);
        const made = await createClaimGroup(tx as unknown as Db, { submittedAt: new Date("2021-06-01T00:00:00Z") });
        const filter = { kind: "filter" as const, filter: { q: String(made.mainClaimId) } };
        expect(
          await tx
            .select({ id: savedClaims.id })
            .from(savedClaims)
            .where(selectionWhere(filter, { piiSearch: false })),
        ).toHaveLength(1);
        expect(
          await tx
            .select({ id: savedClaims.id })
            .from(savedClaims)
            .where(selectionWhere(filter, { piiSearch: false, frozenAt })),
        ).toHaveLength(0);
        tx.rollback();
      })
      .catch((e: Error) => expect(e.message).toMatch(/rollback/i));
  });
});

describe("getClaimsPage", () => {
  const sorts: ClaimSortId[] = ["submittedAt", "id", "formType", "triageState", "attempts"];
  // The same order, written the plain way (no deferred join, default NULLS placement). A column's
  // descending order walks its index backwards: ties come oldest first.
  const led = (column: string) => (d: boolean) =>
    d ? `${column} desc, submitted_at asc, id asc` : `${column} asc, submitted_at desc, id desc`;
  const plainOrder: Record<ClaimSortId, (desc: boolean) => string> = {
    submittedAt: (d) => (d ? "submitted_at desc, id desc" : "submitted_at asc, id asc"),
    id: (d) => (d ? "id desc" : "id asc"),
    formType: led("form_type"),
    triageState: led("triage_state"),
    attempts: led("attempt_count"),
  };

  it("sorts and pages every whitelisted sort both ways, under a filter, deep pages included", async () => {
    for (const filter of [
      {},
      { triageStates: ["never_tried", "failed"] },
      { formTypes: ["21-686C", "21-674"], blackHole: true },
    ] as ClaimsFilter[]) {
      const where = claimsWhere(filter, pii);
      const total = (await idsWhere(where)).length;
      for (const id of sorts) {
        for (const desc of [true, false]) {
          for (const pageIndex of [0, 1, Math.floor((total - 1) / 25)]) {
            const { records: page } = await getClaimsPage(db, { where, sort: { id, desc }, pageIndex, pageSize: 25 });
            const order = sql.raw(plainOrder[id](desc));
            const plain = await db.execute(
              sql`select id::int from saved_claims where ${where} order by ${order} limit 25 offset ${pageIndex * 25}`,
            );
            expect(
              page.map((r) => r.id),
              `${JSON.stringify(filter)} ${id} ${desc} ${pageIndex}`,
            ).toEqual(plain.map((r) => Number(r.id)));
          }
        }
      }
    }
  });

  // The order's NULLS clauses must be the index's own or PostgreSQL sorts the whole table for a page:
  // at a million claims the newest-first first page took 130-400 ms when the covering index's order
  // stopped matching the list's (migration 0022). Sorting is priced out, so a Sort node means that no
  // index can give the order.
  it("walks an index for every whitelisted sort both ways, never sorting the table", async () => {
    for (const id of sorts) {
      for (const desc of [true, false]) {
        const plan = await db.transaction(async (tx) => {
          await tx.execute(sql`set local enable_sort = off`);
          await tx.execute(sql`set local enable_seqscan = off`);
          const order = sql.join(claimsOrderBy({ id, desc }), sql`, `);
          const rows = await tx.execute(sql`explain select id from saved_claims order by ${order} limit 25`);
          return rows.map((r) => Object.values(r)[0]).join("\n");
        });
        expect(plan, `${id} ${desc ? "desc" : "asc"}`).not.toMatch(/Sort/);
        expect(plan, `${id} ${desc ? "desc" : "asc"}`).toMatch(/Index (Only )?Scan/);
      }
    }
  });

  it("orders submitted dates newest first by default, with the claim id breaking ties", async () => {
    const { records: page } = await getClaimsPage(db, {
      where: claimsWhere({}, pii),
      sort: { id: "submittedAt", desc: true },
      pageIndex: 0,
      pageSize: 100,
    });
    const expected = [...claims]
      .sort((a, b) => b.submitted_at.localeCompare(a.submitted_at) || b.id - a.id)
      .slice(0, 100)
      .map((c) => c.id);
    expect(page.map((r) => r.id)).toEqual(expected);
    expect(Object.keys(page[0]).sort()).toEqual([
      "attemptCount",
      "blackHole",
      "failureReason",
      "formType",
      "id",
      "latestAttemptStatus",
      "latestBatchId",
      "mainClaimId",
      "submittedAt",
      "triageState",
      "veteranFirstName",
      "veteranLastName",
    ]);
  });

  it("caps the page size", async () => {
    const { records: page } = await getClaimsPage(db, {
      where: claimsWhere({}, pii),
      sort: { id: "id", desc: false },
      pageIndex: 0,
      pageSize: 10_000,
    });
    expect(page).toHaveLength(100);
  });

  it("walks every page by Next and back by Previous with seek keys, the same rows as by page number", async () => {
    for (const filter of [{}, { triageStates: ["failed"] }] as ClaimsFilter[]) {
      const where = claimsWhere(filter, pii);
      for (const id of sorts) {
        for (const desc of [true, false]) {
          const sort = { id, desc };
          const label = `${JSON.stringify(filter)} ${id} ${desc}`;
          const pageSize = 50;
          const byNumber: number[][] = [];
          const byNext: number[][] = [];
          let page = await getClaimsPage(db, { where, sort, pageIndex: 0, pageSize });
          for (let pageIndex = 0; page.records.length > 0; pageIndex++) {
            byNext.push(page.records.map((r) => r.id));
            byNumber.push((await getClaimsPage(db, { where, sort, pageIndex, pageSize })).records.map((r) => r.id));
            page = await getClaimsPage(db, {
              where,
              sort,
              pageIndex: pageIndex + 1,
              pageSize,
              seek: { direction: "after", key: page.lastKey! },
            });
          }
          expect(byNext, label).toEqual(byNumber);
          expect(byNext.flat().length, label).toEqual((await idsWhere(where)).length);
          // Back from the last page to the first by Previous.
          const last = byNumber.length - 1;
          page = await getClaimsPage(db, { where, sort, pageIndex: last, pageSize });
          for (let pageIndex = last - 1; pageIndex >= 0; pageIndex--) {
            page = await getClaimsPage(db, {
              where,
              sort,
              pageIndex,
              pageSize,
              seek: { direction: "before", key: page.firstKey! },
            });
            expect(
              page.records.map((r) => r.id),
              `${label} back to ${pageIndex}`,
            ).toEqual(byNumber[pageIndex]);
            expect(page.pageIndex).toBe(pageIndex);
          }
        }
      }
    }
  });

  it("keeps microseconds in the date key: claims a microsecond apart are neither skipped nor repeated", async () => {
    await db
      .transaction(async (tx) => {
        const made = [];
        for (let i = 0; i < 4; i++)
          made.push(await createClaimGroup(tx as unknown as Db, { submittedAt: new Date("2021-06-01T00:00:00Z") }));
        // Same millisecond, different microseconds: a key made through a JS Date would lose them.
        const ids = sql.join(
          made.map((m) => sql`${m.mainClaimId}`),
          sql`, `,
        );
        await tx.execute(
          sql`update saved_claims
              set submitted_at = timestamptz '2021-06-01 00:00:00.123456+00' + (id % 3) * interval '1 microsecond'
              where id in (${ids})`,
        );
        const where = claimsWhere({ submittedFrom: "2021-06-01", submittedTo: "2021-06-01" }, pii);
        const all = (
          await getClaimsPage(tx as unknown as Db, {
            where,
            sort: { id: "submittedAt", desc: true },
            pageIndex: 0,
            pageSize: 100,
          })
        ).records.map((r) => r.id);
        expect(all.length).toBeGreaterThanOrEqual(4);
        const walked: number[] = [];
        let page = await getClaimsPage(tx as unknown as Db, {
          where,
          sort: { id: "submittedAt", desc: true },
          pageIndex: 0,
          pageSize: 1,
        });
        for (let pageIndex = 1; page.records.length; pageIndex++) {
          walked.push(...page.records.map((r) => r.id));
          page = await getClaimsPage(tx as unknown as Db, {
            where,
            sort: { id: "submittedAt", desc: true },
            pageIndex,
            pageSize: 1,
            seek: { direction: "after", key: page.lastKey! },
          });
        }
        expect(walked).toEqual(all);
        tx.rollback();
      })
      .catch((e: Error) => expect(e.message).toMatch(/rollback/i));
  });

  it("falls back to the page number for an unreadable key, and to the first page when Previous runs out", async () => {
    const where = claimsWhere({}, pii);
    const sort = { id: "submittedAt" as const, desc: true };
    const byNumber = (await getClaimsPage(db, { where, sort, pageIndex: 3, pageSize: 25 })).records.map((r) => r.id);
    for (const key of ["", "abc", "1.2.3", "99999999999999999999.1", "12", "1.99999999999999999"]) {
      const page = await getClaimsPage(db, {
        where,
        sort,
        pageIndex: 3,
        pageSize: 25,
        seek: { direction: "after", key },
      });
      expect(
        page.records.map((r) => r.id),
        key,
      ).toEqual(byNumber);
    }
    const first = await getClaimsPage(db, { where, sort, pageIndex: 0, pageSize: 25 });
    // "Previous" from a page whose first row is now the list's third row: there are not 25 rows
    // before it, so the first page as it is now.
    const thirdRowKey = (await getClaimsPage(db, { where, sort, pageIndex: 0, pageSize: 3 })).lastKey!;
    const stale = await getClaimsPage(db, {
      where,
      sort,
      pageIndex: 5,
      pageSize: 25,
      seek: { direction: "before", key: thirdRowKey },
    });
    expect(stale.pageIndex).toBe(0);
    expect(stale.records.map((r) => r.id)).toEqual(first.records.map((r) => r.id));
  });
});

describe("countClaims", () => {
  it("is exact up to the cap and an estimate above it", async () => {
    const failed = claims.filter((c) => c.triage_state === "failed").length;
    expect(await countClaims(db, claimsWhere({ triageStates: ["failed"] }, pii))).toEqual({
      count: failed,
      exact: true,
    });
    expect(await countClaims(db, claimsWhere({ q: "no such veteran" }, pii))).toEqual({ count: 0, exact: true });
    expect(claims.length).toBeLessThan(COUNT_CAP);
    const capped = await countClaims(db, claimsWhere({}, pii), 100);
    expect(capped.exact).toBe(false);
    expect(capped.count).toBeGreaterThan(100);
    // The planner's estimate, from fresh statistics, is in the right range.
    expect(capped.count).toBeGreaterThan(claims.length / 2);
    expect(capped.count).toBeLessThan(claims.length * 2);
  });
});

describe("getFailureReasonCounts", () => {
  it("counts claims per fingerprint under the other filters, exactly below the cap", async () => {
    const rule = (c: Claim) => c.triage_state === "never_tried";
    const expected = new Map<string, number>();
    for (const c of claims.filter(rule))
      if (c.failure_reason) expected.set(c.failure_reason, (expected.get(c.failure_reason) ?? 0) + 1);
    const counts = await getFailureReasonCounts(db, claimsWhere({ triageStates: ["never_tried"] }, pii));
    expect(new Map(counts.map((c) => [c.reason, c.count]))).toEqual(expected);
    expect(counts.every((c) => c.exact)).toBe(true);
    expect(counts.map((c) => c.count)).toEqual([...counts.map((c) => c.count)].sort((a, b) => b - a));
  });

  it("falls back to labelled estimates above the cap", async () => {
    const counts = await getFailureReasonCounts(db, claimsWhere({}, pii), { cap: 50 });
    const reasons = new Set(claims.map((c) => c.failure_reason).filter(Boolean));
    expect(new Set(counts.map((c) => c.reason))).toEqual(reasons);
    expect(counts.every((c) => !c.exact && c.count > 0)).toBe(true);
  });
});

describe("masking and export", () => {
  const viewer = { id: 1, email: "viewer@example.com", name: "Vera Viewer", role: "viewer" as const };
  const triager = { id: 2, email: "triager@example.com", name: "Theo Triager", role: "triager" as const };

  it("masks veteran names for viewers before rows leave the server, and never sends file numbers", async () => {
    const search = parseClaimsSearch({ sort: "id.asc", size: "50" });
    const masked = await loadClaimsPage(db, viewer, search);
    const plain = await loadClaimsPage(db, triager, search);
    expect(masked.rows).toHaveLength(50);
    for (const [i, row] of masked.rows.entries()) {
      expect(row.veteran).toMatch(/^\p{Lu}\. \p{Lu}\.$/u);
      expect(plain.rows[i].veteran).not.toMatch(/^\p{Lu}\. \p{Lu}\.$/u);
      const json = JSON.stringify(row);
      const claim = claims.find((c) => c.id === row.id)!;
      expect(json).not.toContain(claim.file_number);
      expect(json).not.toContain(claim.veteran_last_name);
    }
    expect(plain.total).toEqual({ count: claims.length, exact: true });
  });

  it("exports every matching row once, newest first, across keyset pages, masked for viewers", async () => {
    const where = claimsWhere({ blackHole: false }, pii);
    const rows: unknown[][] = [];
    for await (const page of claimsCsvPages(db, where, viewer)) rows.push(...page);
    const expected = claims
      .filter((c) => !c.black_hole)
      .sort((a, b) => b.submitted_at.localeCompare(a.submitted_at) || b.id - a.id);
    expect(expected.length).toBeGreaterThan(1_000); // more than one keyset page
    expect(rows.map((r) => r[0])).toEqual(expected.map((c) => c.id));
    for (const r of rows) expect(String(r[3])).toMatch(/^\p{Lu}\. \p{Lu}\.$/u);
  });
});
