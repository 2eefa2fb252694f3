import { expect, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// A batch's failures, worked from its page: one item retried from its row, then the rest as a new
// batch; the throughput chart draws the batch's minutes.

const SHOTS = process.env.E2E_SHOTS_DIR;

// A batch with at least two failed items whose first (the items page's first row) is a claim back
// in triage as failed, so its row's retry starts a backup.
async function batchWithFailures(): Promise<{ id: number; failed: number; claimId: number }> {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    const [row] = await db.execute<{ id: number; failed: number; claim_id: number }>(sql`
      select f.batch_id::int as id, f.failed::int as failed, i.claim_id::int as claim_id
      from (select batch_id, count(*) as failed, min(id) as first_id from batch_items where state = 'failed'
            group by 1 having count(*) >= 2) f
      join batch_items i on i.id = f.first_id
      join saved_claims c on c.id = i.claim_id and c.triage_state = 'failed'
      order by f.failed desc limit 1`);
    return { id: Number(row.id), failed: Number(row.failed), claimId: Number(row.claim_id) };
  } finally {
    await close();
  }
}

test("a triager retries one failed item, then the batch's failed items as a new batch", async ({ page }) => {
  const batch = await batchWithFailures();
  await signIn(page, "triager");
  await page.goto(`/batches/${batch.id}?state=failed`);
  await expect(page.getByRole("figure", { name: "Throughput, backups a minute" })).toBeVisible();
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoSeriousAxeViolations(page);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/batch-retry-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // One item from its row.
  const claimId = batch.claimId;
  await page.getByRole("button", { name: `Retry claim ${claimId}`, exact: true }).click();
  const one = page.getByRole("dialog", { name: `Retry claim ${claimId}` });
  await one.getByLabel("Reason (required)").fill("CT-77 one item");
  await one.getByRole("button", { name: "Retry this claim" }).click();
  await expect(one.getByRole("status")).toHaveText(`Backup started for claim ${claimId}.`);
  await one.getByRole("button", { name: "Done" }).click();

  // The rest as a new batch, at this batch's rate.
  await page.getByRole("button", { name: `Retry the ${batch.failed} failed items as a new batch…` }).click();
  const dialog = page.getByRole("dialog", { name: "Retry the failed items" });
  await dialog.getByLabel("Reason (required)").fill("CT-77 retry the failures");
  await dialog.getByRole("button", { name: "Create the retry batch" }).click();
  await expect(dialog.getByRole("status")).toContainText(/Batch #\d+ was created with/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByTestId("retry-batch-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Retry of the failed items of batch #${batch.id}`);
  await expect(page.getByRole("figure", { name: "Throughput, backups a minute" })).toBeVisible();
});
