import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { claimsWhere, countClaims } from "@/db/queries/claims-list";
import {
  getAttemptsPerDay,
  getClaimOutcomes,
  getLiveKpis,
  getOutstandingHistory,
  getTopFailureReasons,
  getUploadToVbmsHistogram,
  refreshOverviewViews,
  VBMS_HOUR_BUCKETS,
} from "@/db/queries/overview";
import { backupAttempts, backupSubmissions, outstandingDaily, savedClaims } from "@/db/schema";
import { OVERVIEW_CLAIMS_LINKS } from "@/lib/claims/overview-links";
import { parseClaimsFilter, writeClaimsFilter } from "@/lib/claims/search-params";
import { createClaimGroup } from "../support/claims-factory";

// The overview's SQL against figures worked out independently, row by row in JavaScript, over the
// seeded demo data; then small known changes move each figure by exactly what they should.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
afterAll(async () => close());

type Claim = {
  id: number;
  form_type: string;
  triage_state: string;
  black_hole: boolean;
  failure_notified: boolean;
  failure_reason: string | null;
  main_claim_id: number;
};
type Attempt = {
  claim_id: number;
  status: string;
  started_at: Date;
  submitted_at: Date | null;
  end_state_at: Date | null;
};

async function load() {
  const claims = Array.from(
    await db.execute(
      sql`select id::int, form_type, triage_state, black_hole, failure_notified, failure_reason, main_claim_id::int
          from saved_claims`,
    ),
  ) as unknown as Claim[];
  const raw = Array.from(
    await db.execute(sql`select claim_id::int, status, started_at, submitted_at, end_state_at from backup_attempts`),
  ) as unknown as Record<string, string | number | null>[];
  // Raw rows carry timestamps as text.
  const at = (v: unknown) => (v === null ? null : new Date(String(v)));
  const attempts: Attempt[] = raw.map((a) => ({
    claim_id: Number(a.claim_id),
    status: String(a.status),
    started_at: at(a.started_at)!,
    submitted_at: at(a.submitted_at),
    end_state_at: at(a.end_state_at),
  }));
  return { claims, attempts };
}

const outstanding = (c: Claim) => c.triage_state === "never_tried" || c.triage_state === "failed";

describe("overview queries", () => {
  it("match the figures worked out from every row", async () => {
    const { claims, attempts } = await load();
    expect(claims.length).toBeGreaterThan(2_000);

    expect(await getLiveKpis(db)).toEqual({
      outstandingBlackHole: claims.filter((c) => c.black_hole && outstanding(c)).length,
      outstanding: claims.filter(outstanding).length,
      failed: claims.filter((c) => c.triage_state === "failed").length,
      silentFailures: claims.filter((c) => outstanding(c) && !c.failure_notified).length,
    });

    const uploaded = new Set(
      attempts
        .filter((a) => ["submitted", "success", "vbms", "error", "expired"].includes(a.status))
        .map((a) => a.claim_id),
    );
    // The heavy figures come from the views: bring them up to date first, as the poll job does.
    await refreshOverviewViews(db);
    const outcomes = await getClaimOutcomes(db);
    const expected = new Map<string, { claims: number; resubmitted: number }>();
    for (const c of claims) {
      const key = `${c.form_type}|${c.triage_state}`;
      const e = expected.get(key) ?? { claims: 0, resubmitted: 0 };
      e.claims++;
      if (uploaded.has(c.main_claim_id)) e.resubmitted++;
      expected.set(key, e);
    }
    expect(
      new Map(
        outcomes.map((o) => [`${o.formType}|${o.triageState}`, { claims: o.claims, resubmitted: o.resubmitted }]),
      ),
    ).toEqual(expected);
    expect(outcomes.reduce((n, o) => n + o.resubmitted, 0)).toBeGreaterThan(0);

    const since = new Date();
    since.setUTCHours(0, 0, 0, 0);
    since.setUTCDate(since.getUTCDate() - 59);
    const perDay = new Map<string, number>();
    for (const a of attempts.filter((a) => a.started_at >= since)) {
      const key = `${a.started_at.toISOString().slice(0, 10)}|${a.status}`;
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
    }
    expect(new Map((await getAttemptsPerDay(db)).map((r) => [`${r.day}|${r.status}`, r.attempts]))).toEqual(perDay);

    const reasons = new Map<string | null, number>();
    for (const c of claims.filter(outstanding)) reasons.set(c.failure_reason, (reasons.get(c.failure_reason) ?? 0) + 1);
    const top = [...reasons.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
    const got = await getTopFailureReasons(db, 5);
    expect(got.map((r) => r.claims)).toEqual(top.slice(0, 5).map(([, n]) => n));
    for (const r of got) expect(reasons.get(r.reason)).toBe(r.claims);

    const buckets = new Array(VBMS_HOUR_BUCKETS.length + 1).fill(0);
    for (const a of attempts.filter((a) => a.status === "vbms" && a.submitted_at && a.end_state_at)) {
      const hours = (a.end_state_at!.getTime() - a.submitted_at!.getTime()) / 3_600_000;
      buckets[VBMS_HOUR_BUCKETS.filter((b) => hours >= b).length]++;
    }
    expect((await getUploadToVbmsHistogram(db)).map((b) => b.uploads)).toEqual(buckets);

    const history = await getOutstandingHistory(db);
    expect(history.length).toBeGreaterThan(30);
    expect(history.map((h) => h.day)).toEqual([...history.map((h) => h.day)].sort());
  });

  it("move by exactly what a known change should", async () => {
    const before = await getLiveKpis(db);
    await refreshOverviewViews(db);
    const histogramBefore = await getUploadToVbmsHistogram(db);

    // A new black hole: shown as success, never told, never tried.
    const { mainClaimId } = await createClaimGroup(db, { dependents: true, students: 1 });
    let now = await getLiveKpis(db);
    expect(now.outstandingBlackHole - before.outstandingBlackHole).toBe(2);
    expect(now.silentFailures - before.silentFailures).toBe(2);

    // The veteran is told: no longer silent, still outstanding.
    await db.update(savedClaims).set({ failureNotified: true }).where(eq(savedClaims.mainClaimId, mainClaimId));
    now = await getLiveKpis(db);
    expect(now.silentFailures).toBe(before.silentFailures);
    expect(now.outstanding - before.outstanding).toBe(2);

    // Uploaded and in VBMS 30 hours later: out of the black hole, into the 24–48 h bucket.
    const [submission] = await db
      .insert(backupSubmissions)
      .values({ claimId: mainClaimId, formType: "21-686C", latestStatus: "vbms" })
      .returning();
    const submittedAt = new Date(Date.now() - 40 * 3_600_000);
    await db.insert(backupAttempts).values({
      submissionId: submission.id,
      claimId: mainClaimId,
      attemptNumber: 1,
      status: "vbms",
      trigger: "user",
      submittedAt,
      endStateAt: new Date(submittedAt.getTime() + 30 * 3_600_000),
    });
    await db
      .update(savedClaims)
      .set({ triageState: "confirmed", blackHole: false })
      .where(eq(savedClaims.mainClaimId, mainClaimId));
    now = await getLiveKpis(db);
    expect(now).toEqual(before);
    await refreshOverviewViews(db);
    const histogram = await getUploadToVbmsHistogram(db);
    const bucket48 = VBMS_HOUR_BUCKETS.indexOf(48);
    expect(histogram[bucket48].uploads - histogramBefore[bucket48].uploads).toBe(1);
    expect(histogram[bucket48]).toMatchObject({ fromHours: 24, toHours: 48 });
    const outcomes = await getClaimOutcomes(db);
    expect(outcomes.find((o) => o.formType === "21-674" && o.triageState === "confirmed")!.resubmitted).toBeGreaterThan(
      0,
    );
  });

  it("open, from each figure's link, exactly the claims the figure counts", async () => {
    await db
      .transaction(async (tx) => {
        // Outstanding claims whose veteran was told, and black-hole claims both ways: a link that
        // dropped a condition would open more claims than its figure counts.
        await tx.execute(sql`
          update saved_claims set failure_notified = true where id in (
            select id from saved_claims where triage_state = 'failed' and not failure_notified order by id limit 5)`);
        const live = await getLiveKpis(tx);
        const outstanding = await countClaims(
          tx,
          claimsWhere(
            { triageStates: ["failed", "never_tried"] },
            {
              piiSearch: false,
            },
          ),
        );
        expect(live.silentFailures).toBeGreaterThan(0);
        expect(outstanding.count).toBeGreaterThan(live.silentFailures);
        for (const [kpi, href] of Object.entries(OVERVIEW_CLAIMS_LINKS) as [
          keyof typeof OVERVIEW_CLAIMS_LINKS,
          string,
        ][]) {
          const url = new URL(href, "http://claims.test");
          expect(url.pathname, kpi).toBe("/claims");
          const filter = parseClaimsFilter(url.searchParams);
          // Every parameter of the link is one the list reads.
          expect(new Set(writeClaimsFilter(new URLSearchParams(), filter).keys()), kpi).toEqual(
            new Set(url.searchParams.keys()),
          );
          expect(await countClaims(tx, claimsWhere(filter, { piiSearch: false })), kpi).toEqual({
            count: live[kpi],
            exact: true,
          });
        }
        tx.rollback();
      })
      .catch((e: Error) => expect(e.message).toMatch(/rollback/i));
  });

  it("reads the burn-down history in day order, today's live count is the page's job", async () => {
    await db.insert(outstandingDaily).values({ day: "2000-01-01", outstanding: 1 }).onConflictDoNothing();
    const history = await getOutstandingHistory(db, 90);
    expect(history.some((h) => h.day === "2000-01-01")).toBe(false); // outside the window
  });
});
