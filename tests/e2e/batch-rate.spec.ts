import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { compressedRate } from "@/lib/batches/dispatch-schedule";
import { QUEUE_SCHEMA } from "@/lib/jobs/boss";
import { DISPATCH_TICK_SECONDS } from "@/lib/jobs/dispatch-batch";
import { signIn } from "../support/browser";
import { freshClaimIds } from "../support/e2e-claims";

// A batch keeps the rate it promises, at 1 and at 2 a minute: created from the import page with its
// rate, started by a triager, and the spacing of its starts measured twice: from the progress the
// batch page shows (polled as the page polls it, each start placed between the last poll that did
// not see it and the first that did), and from when each backup was queued. The app's dispatcher
// runs on a compressed clock (DISPATCH_TIME_FACTOR, playwright.config.ts), so a minute between
// starts is 6 s; E2E_DISPATCH_TIME_FACTOR=1 runs the same test on the real clock.

const FACTOR = Number(process.env.E2E_DISPATCH_TIME_FACTOR ?? 1);
const SKEW_MS = 250; // a start's queue time is its tick's transaction's, a moment after the tick's clock
const LATE_MS = 2_000; // how late a tick may run: the worker polls its queue every 0.5 s, on a loaded machine
const BATCHES = [
  { rate: 1, claims: 4 },
  { rate: 2, claims: 6 },
] as const;
const intervalOf = (rate: number) => 60_000 / compressedRate(rate, FACTOR, DISPATCH_TICK_SECONDS);

// When each of the batch's backups was queued, in ms since the first.
async function queuedTimes(batchId: number): Promise<number[]> {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    const rows = await db.execute(sql`
      select (extract(epoch from created_on) * 1000)::float8 as at
      from ${sql.identifier(QUEUE_SCHEMA)}.job
      where name = 'backup-claim' and (data->>'batchId')::bigint = ${batchId} and (data->>'retryNumber')::int = 0
      order by created_on`);
    const times = Array.from(rows as unknown as { at: number }[], (r) => Number(r.at));
    return times.map((t) => t - times[0]);
  } finally {
    await close();
  }
}

async function createDraft(page: Page, name: string, ids: number[], rate: number) {
  await page.goto("/batches/import");
  const csv = ["claim_id", ...ids.map(String)].join("\n");
  await page
    .getByLabel("Retry list (CSV)")
    .setInputFiles({ name: "rate.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Check the list" }).click();
  await expect(page.getByTestId("import-report").getByTestId("outcome-accepted")).toHaveText(String(ids.length));
  await page.getByLabel("Batch name").fill(name);
  await page.getByLabel("Reason (required)").fill("E2E-RATE");
  await page.getByLabel("Rate (claims per minute)").fill(String(rate));
  await page.getByRole("button", { name: "Create draft batch" }).click();
  const dialog = page.getByRole("dialog", { name: "Create this draft batch?" });
  await expect(dialog).toContainText(`at ${rate} claims per minute`);
  await dialog.getByRole("button", { name: "Create draft batch" }).click();
  await expect(page).toHaveURL(/\/batches\/\d+$/);
  return Number(new URL(page.url()).pathname.split("/").pop());
}

// A start as the batch page's progress shows it: after `lo` (a poll that did not see it yet was sent)
// and by `hi` (a poll that saw it had its answer).
type Seen = { lo: number; hi: number };

// Polls the progress the batch page polls until every claim has started. Each answer's estimate is
// checked on the way: never sooner than the rate allows (the pace it assumes is at most the rate).
async function watchStarts(request: APIRequestContext, batchId: number, rate: number, claims: number) {
  const seen: Seen[] = [];
  let lastUnseen = Date.now();
  const deadline = Date.now() + 60_000 + (claims * 60_000 * 2) / compressedRate(rate, FACTOR, DISPATCH_TICK_SECONDS);
  while (seen.length < claims) {
    if (Date.now() > deadline) throw new Error(`batch ${batchId}: ${seen.length} of ${claims} started in time`);
    const sent = Date.now();
    const response = await request.get(`/api/batches/${batchId}/progress`);
    const received = Date.now();
    expect(response.ok()).toBe(true);
    const progress = (await response.json()) as {
      state: string;
      counts: { pending: number; in_progress: number };
      etaSeconds: number | null;
    };
    const started = claims - progress.counts.pending;
    const remaining = progress.counts.pending + progress.counts.in_progress;
    if (progress.state === "running" && remaining > 0)
      expect(progress.etaSeconds).toBeGreaterThanOrEqual(Math.round((remaining / rate) * 60));
    while (seen.length < started) seen.push({ lo: lastUnseen, hi: received });
    lastUnseen = sent;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return seen;
}

async function startAsTriager(page: Page, batchId: number, rate: number, claims: number) {
  await page.goto(`/batches/${batchId}`);
  await expect(page.getByRole("region", { name: "About this batch" })).toContainText(`${rate} claims per minute`);
  await page.getByRole("button", { name: "Start batch" }).click();
  const dialog = page.getByRole("dialog", { name: /Start batch/ });
  // The promise, as the triager reads it before confirming.
  await expect(dialog).toContainText(`${claims} claims will be sent through the backup flow, at most ${rate} a minute`);
  await dialog.getByLabel(/Reason/).fill("rate check");
  await dialog.getByRole("button", { name: "Start batch" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Batch started." })).toBeVisible();
}

test.describe.configure({ mode: "serial" });

const batchIds: number[] = [];

test("an admin imports two retry lists as draft batches at 1 and at 2 a minute", async ({ page }) => {
  const ids = await freshClaimIds(BATCHES.reduce((n, b) => n + b.claims, 0));
  expect(ids).toHaveLength(BATCHES.reduce((n, b) => n + b.claims, 0));
  await signIn(page, "admin"); // importing a retry list is the admin's
  let from = 0;
  for (const b of BATCHES) {
    batchIds.push(await createDraft(page, `E2E rate ${b.rate} a minute`, ids.slice(from, from + b.claims), b.rate));
    from += b.claims;
  }
});

test("a triager starts them; they start one claim per interval, measured by the spacing of their starts", async ({
  page,
}) => {
  test.setTimeout(120_000 + 2 * BATCHES[0].claims * intervalOf(BATCHES[0].rate));
  expect(batchIds).toHaveLength(BATCHES.length);
  await signIn(page, "triager");
  // Watching begins before either starts, so every start falls between two polls.
  const watching = BATCHES.map((b, i) => watchStarts(page.request, batchIds[i], b.rate, b.claims));
  for (const [i, b] of BATCHES.entries()) await startAsTriager(page, batchIds[i], b.rate, b.claims);
  const seen = await Promise.all(watching);

  for (const [i, b] of BATCHES.entries()) {
    const interval = intervalOf(b.rate);
    const queued = await queuedTimes(batchIds[i]);
    const gaps = queued.slice(1).map((t, k) => t - queued[k]);
    const pageGaps = seen[i].slice(1).map((s, k) => (s.lo + s.hi) / 2 - (seen[i][k].lo + seen[i][k].hi) / 2);
    console.log(
      `${b.rate} a minute (a start every ${interval / 1000} s at factor ${FACTOR}): queued ${gaps
        .map((g) => (g / 1000).toFixed(2))
        .join(", ")} s apart; on the page about ${pageGaps.map((g) => (g / 1000).toFixed(1)).join(", ")} s apart`,
    );
    expect(queued).toHaveLength(b.claims);
    // The k-th start never before k intervals after the first, and late only by a tick's lateness.
    queued.forEach((t, k) => {
      expect(t).toBeGreaterThanOrEqual(k * interval - SKEW_MS);
      expect(t).toBeLessThanOrEqual(k * interval + LATE_MS);
    });
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(interval - LATE_MS - SKEW_MS);
      expect(gap).toBeLessThanOrEqual(interval + LATE_MS + SKEW_MS);
    }
    // What the page showed agrees: the k-th start came no sooner than k intervals after the first
    // (the widest the two polls around each allow), nor later than a tick's lateness.
    const first = seen[i][0];
    seen[i].forEach((s, k) => {
      expect(s.hi - first.lo).toBeGreaterThanOrEqual(k * interval - SKEW_MS);
      expect(s.lo - first.hi).toBeLessThanOrEqual(k * interval + LATE_MS);
    });
  }
  // The two rates stay twice apart: 2 a minute is not 1 a minute, nor one a tick.
  expect(intervalOf(1)).toBe(2 * intervalOf(2));
});
