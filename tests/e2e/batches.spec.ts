import { expect, type Page, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";
import { freshClaimIds } from "../support/e2e-claims";

// What a person does with batches: import the reviewed retry list, read the report, create the
// draft, start it, watch it move, pause and resume it; and what a viewer may and may not do.

test.describe.configure({ mode: "serial" });

const count = async (page: Page, state: string) =>
  Number((await page.getByTestId(`count-${state}`).innerText()).replace(/,/g, ""));

let batchUrl = "";

test("an admin imports a retry list, reviews the report and creates a draft batch", async ({ page }) => {
  const ids = await freshClaimIds(5);
  expect(ids).toHaveLength(5);
  await signIn(page, "admin");
  await page.goto("/batches");
  await page.getByRole("link", { name: "Import a retry list" }).click();
  await expect(page.getByRole("heading", { name: "Import a reviewed retry list" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // A malformed file first: a clear error, nothing created.
  await page.getByLabel("Retry list (CSV)").setInputFiles({
    name: "photo.csv",
    mimeType: "text/csv",
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
  });
  await page.getByRole("button", { name: "Check the list" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not UTF-8 text" })).toBeVisible();

  const csv = [
    "claim_id,note",
    ...ids.map((id, i) => `${id},row ${i + 1}`),
    `${ids[0]},again`,
    "not-an-id",
    "999999999",
  ].join("\n");
  await page
    .getByLabel("Retry list (CSV)")
    .setInputFiles({ name: "master-retry-list.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Check the list" }).click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("8 rows read");
  await expect(report.getByTestId("outcome-accepted")).toHaveText("5");
  await expect(report.getByTestId("outcome-duplicate_in_file")).toHaveText("1");
  await expect(report.getByTestId("outcome-not_a_number")).toHaveText("1");
  await expect(report.getByTestId("outcome-unknown_id")).toHaveText("1");
  await expect(report.getByRole("table", { name: /will not be included/ })).toContainText(
    "No claim #999999999 exists.",
  );
  await expectNoSeriousAxeViolations(page);

  await page.getByLabel("Batch name").fill("E2E retry list");
  await page.getByLabel("Reason (required)").fill("E2E-TICKET-7");
  await page.getByLabel("Rate (claims per minute)").fill("30"); // one claim a 2 s tick: slow enough to watch
  await page.getByRole("button", { name: "Create draft batch" }).click();
  const dialog = page.getByRole("dialog", { name: "Create this draft batch?" });
  await expect(dialog).toContainText("5 claims");
  await dialog.getByRole("button", { name: "Create draft batch" }).click();
  await expect(page).toHaveURL(/\/batches\/\d+$/);
  batchUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: "E2E retry list" })).toBeVisible();
  await expect(page.getByTestId("batch-progress")).toContainText("Draft");
  await expect(page.getByTestId("count-pending")).toHaveText("5");
  // A draft has sent nothing: its figures are not "final".
  await expect(page.getByTestId("progress-freshness")).toContainText("Not started: nothing has been sent");
  await expect(page.getByTestId("batch-progress")).not.toContainText("Final figures");
});

test("a triager starts the batch, watches it move, pauses and resumes it", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "triager");
  await page.goto(batchUrl);
  await expect(page.getByRole("button", { name: "Cancel batch" })).toHaveCount(0); // admin only
  await page.getByRole("button", { name: "Start batch" }).click();
  const start = page.getByRole("dialog", { name: /Start batch/ });
  await start.getByLabel(/Reason/).fill("go");
  await start.getByRole("button", { name: "Start batch" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Batch started." })).toBeVisible();

  // Progress moves on its own: no reload.
  await expect.poll(() => count(page, "pending"), { timeout: 30_000 }).toBeLessThan(5);
  await page.getByRole("button", { name: "Pause" }).click();
  await page
    .getByRole("dialog", { name: /Pause batch/ })
    .getByRole("button", { name: "Pause batch" })
    .click();
  await expect(page.getByTestId("batch-progress")).toContainText("Paused");
  const pendingWhenPaused = await count(page, "pending");
  await page.waitForTimeout(5_000); // more than two dispatch ticks
  expect(await count(page, "pending")).toBe(pendingWhenPaused);
  await expect(page.getByTestId("eta")).toHaveText("paused");
  await expectNoSeriousAxeViolations(page);

  await page.getByRole("button", { name: "Resume" }).click();
  await page
    .getByRole("dialog", { name: /Resume batch/ })
    .getByRole("button", { name: "Resume batch" })
    .click();
  await expect.poll(() => count(page, "pending"), { timeout: 60_000 }).toBe(0);
  // The worker uploads them to the local Benefits Intake: every item reaches an outcome.
  await expect
    .poll(
      async () =>
        (await count(page, "submitted")) +
        (await count(page, "confirmed")) +
        (await count(page, "failed")) +
        (await count(page, "skipped")),
      { timeout: 60_000 },
    )
    .toBe(5);
  // "Completed" only once every item has its end state from Benefits Intake (vbms, error or expired):
  // until then the batch is all sent, awaiting results.
  const progress = page.getByTestId("batch-progress");
  await expect.poll(() => count(page, "submitted"), { timeout: 60_000 }).toBe(0);
  await expect(progress.getByText("Completed", { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("progress-freshness")).toContainText("Final figures");
  const summary = page.getByRole("region", { name: "About this batch" });
  await expect(summary).toContainText("All claims sent");
  await expect(summary).not.toContainText("not yet");
});

test("a batch that does not exist is a 404 with its own page", async ({ page }) => {
  await signIn(page, "viewer");
  const response = await page.goto("/batches/999999");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Batch not found · Claim Triage");
  await expect(page.getByRole("heading", { level: 1, name: "Batch not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to all batches" }).click();
  await expect(page).toHaveURL(/\/batches$/);
  expect((await page.goto("/batches/abc"))?.status()).toBe(404);
});

test("the batches list shows the new batch and the historical ones; a viewer sees no controls", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/batches");
  const table = page.getByRole("table", { name: /Batches/ });
  await expect(table.getByRole("link", { name: "E2E retry list" })).toBeVisible();
  await expect(table.getByText("Historical console batch").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Import a retry list" })).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);

  await page.goto(batchUrl);
  await expect(page.getByRole("heading", { name: "Controls" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: /Items of batch/ })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // The export masks names and file numbers for a viewer.
  const csv = await (await page.request.get(`/api/batches${batchUrl.replace("/batches", "")}/export`)).text();
  expect(csv.split("\r\n")[0]).toContain("claim_id");
  expect(csv).toContain("•••");
  const refused = await page.request.post("/api/batches/import", {
    multipart: { mode: "preview", file: { name: "x.csv", mimeType: "text/csv", buffer: Buffer.from("1\n") } },
  });
  expect(refused.status()).toBe(403);
});

test("the audit log shows the import and the batch actions, filterable", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/audit");
  const table = page.getByRole("table", { name: /Audit events/ });
  await expect(table).toContainText("Imported a retry list");
  await expect(table).toContainText("E2E-TICKET-7");
  await page.getByLabel("Action").selectOption("batch.pause");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=batch.pause/);
  await expect(table).toContainText("Paused a batch");
  await expect(table).not.toContainText("Imported a retry list");
  await expectNoSeriousAxeViolations(page);
});
