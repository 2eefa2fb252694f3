import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type ClaimSort, type ClaimsFilter, claimsWhere, countClaims, getClaimsPage } from "@/db/queries/claims-list";
import { type BenchRow, ms, timeRuns } from "./support";

// The claims list's server time: the page query and the "N matching" count, for representative
// filters, sorts and pages (docs/design.md §7: p95 ≤ 50 ms a page, ≤ 100 ms the count).

// `byNext`: the page as the list reaches it from the page before (Next carries that page's last
// sort key); otherwise by page number, as a typed or shared link does.
type Case = {
  name: string;
  filter: ClaimsFilter;
  sort?: ClaimSort;
  page?: number;
  byNext?: boolean;
  typedLink?: boolean;
};

export async function benchClaimsList(db: Db, runs = 30): Promise<BenchRow[]> {
  const [reason] = Array.from(
    await db.execute<{ r: string }>(
      sql`select failure_reason as r from saved_claims where failure_reason like 'Invalid address%' limit 1`,
    ),
  );
  const [veteran] = Array.from(
    await db.execute<{ last: string; last4: string }>(
      sql`select veteran_last_name as last, file_last4 as last4 from saved_claims where id = 4242`,
    ),
  );
  const cases: Case[] = [
    { name: "no filter, newest first, page 1", filter: {} },
    { name: "form 21-686C, page 1", filter: { formTypes: ["21-686C"] } },
    { name: "never tried + black hole, page 1", filter: { triageStates: ["never_tried"], blackHole: true } },
    { name: "failure reason, page 1", filter: { failureReason: reason?.r } },
    {
      name: "failed, oldest first, page 3",
      filter: { triageStates: ["failed"] },
      sort: { id: "submittedAt", desc: false },
      page: 2,
    },
    { name: "date range (2 months), page 1", filter: { submittedFrom: "2022-03-01", submittedTo: "2022-04-30" } },
    { name: "batch 2, by id, page 10", filter: { batchId: 2 }, sort: { id: "id", desc: false }, page: 9 },
    {
      name: "form 21-526EZ + never tried, page 500",
      filter: { formTypes: ["21-526EZ"], triageStates: ["never_tried"] },
      page: 499,
    },
    { name: "no filter, deep page 20,000 by Next", filter: {}, page: 19_999, byNext: true },
    { name: "no filter, deep page 20,000 by page number (typed link)", filter: {}, page: 19_999, typedLink: true },
    {
      name: "form 21-526EZ + never tried, page 3,000 by Next, oldest first",
      filter: { formTypes: ["21-526EZ"], triageStates: ["never_tried"] },
      sort: { id: "submittedAt", desc: false },
      page: 2_999,
      byNext: true,
    },
    { name: "search: last name", filter: { q: veteran?.last ?? "Sampleton" } },
    // No veteran has it: the planner must know the name is rare (migrations 0009 and 0023) or it
    // walks every claim newest first looking for one.
    { name: "search: a full name nobody has", filter: { q: "Maria Sampleton" } },
    { name: "search: last 4 of file number", filter: { q: veteran?.last4 ?? "4242" } },
    { name: "search: claim id", filter: { q: "4242" } },
  ];
  const rows: BenchRow[] = [];
  const all: number[] = [];
  for (const c of cases) {
    const where = claimsWhere(c.filter, { piiSearch: true });
    const sort = c.sort ?? { id: "submittedAt", desc: true };
    const pageIndex = c.page ?? 0;
    const previous = c.byNext
      ? await getClaimsPage(db, { where, sort, pageIndex: pageIndex - 1, pageSize: 25 })
      : undefined;
    if (c.byNext && !previous?.lastKey)
      throw new Error(`bench case "${c.name}": the page before it is empty; pick a page inside the list`);
    const seek = previous?.lastKey ? { direction: "after" as const, key: previous.lastKey } : undefined;
    const page = await timeRuns(runs, () => getClaimsPage(db, { where, sort, pageIndex, pageSize: 25, seek }));
    let matching = { count: 0, exact: true };
    const count = await timeRuns(runs, async () => (matching = await countClaims(db, where)));
    if (!c.typedLink) all.push(page.p95);
    rows.push({
      name: `list: ${c.name}`,
      value: `page p50 ${ms(page.p50)} p95 ${ms(page.p95)} · count p95 ${ms(count.p95)} (${matching.exact ? "" : "≈"}${matching.count.toLocaleString("en-US")})`,
      target: "p95 ≤ 50 ms · count ≤ 100 ms",
    });
  }
  // The list's own controls (First, Previous, Next, Last, sorts, filters) never make a deep OFFSET;
  // only a hand-typed page number does, and it is printed above on its own.
  rows.push({
    name: "list: worst page p95, pages as the list's controls reach them",
    value: ms(Math.max(...all)),
    target: "≤ 50 ms",
  });
  return rows;
}
