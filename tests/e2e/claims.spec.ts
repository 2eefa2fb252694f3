import { expect, type Page, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// The triage list and the claim page as a person uses them (docs/design.md §6), on the seeded demo data.

const REASON = "EVSS error: max_retries_exceeded";

function reasonsPanel(page: Page) {
  return page.getByRole("region", { name: "Failure reasons" });
}

function table(page: Page) {
  return page.getByRole("table", { name: /Claims/ });
}

async function columnTexts(page: Page, index: number) {
  // The rows stream in after the page shell: wait for them (and for any navigation to settle).
  await expect(table(page)).toHaveAttribute("aria-busy", "false");
  await expect(table(page).locator("tbody tr").first()).toBeVisible();
  // Cell index in the row: for triagers the selection checkbox is cell 0 and the claim id cell 1.
  return table(page)
    .locator("tbody tr")
    .evaluateAll(
      (rows, i) => rows.map((r) => (r.children[i] as HTMLElement | undefined)?.innerText.trim() ?? ""),
      index,
    );
}

test("a triager filters by failure reason and form, pages, sorts, and opens a claim", async ({ page }) => {
  await signIn(page, "triager");
  await page.goto("/claims");
  await expect(page.getByRole("heading", { name: "Claims", level: 1 })).toBeVisible();
  await expect(page.getByTestId("matching-count")).toContainText("matching claims");

  await reasonsPanel(page)
    .getByRole("link", { name: new RegExp(`^${REASON.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) })
    .click();
  await expect(page).toHaveURL(/reason=EVSS/);
  await expect(reasonsPanel(page).getByRole("link", { name: /^EVSS error/ })).toHaveAttribute("aria-current", "true");

  await page.getByLabel("Form", { exact: true }).selectOption("21-526EZ");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/form=21-526EZ/);
  await expect(page).toHaveURL(/reason=EVSS/);
  const forms = await columnTexts(page, 2);
  expect(forms.length).toBeGreaterThan(0);
  expect(new Set(forms)).toEqual(new Set(["21-526EZ"]));
  const reasons = await columnTexts(page, 5);
  expect(new Set(reasons)).toEqual(new Set([REASON]));

  // Page through everything (25 a page), then back.
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("Showing 26–");
  await page.goBack();
  await expect(page).not.toHaveURL(/page=2/);
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("Showing 1–");

  // Sort by claim id: the header is a button and the column announces its order.
  const claimHeader = table(page).getByRole("columnheader", { name: /Claim/ });
  await claimHeader.getByRole("button").click();
  await expect(page).toHaveURL(/sort=id\.(asc|desc)/);
  const direction = new URL(page.url()).searchParams.get("sort")!.endsWith("asc") ? "ascending" : "descending";
  await expect(claimHeader).toHaveAttribute("aria-sort", direction);
  const ids = (await columnTexts(page, 1)).map(Number);
  const sorted = [...ids].sort((a, b) => (direction === "ascending" ? a - b : b - a));
  expect(ids).toEqual(sorted);

  // Next and Previous carry the edge row's sort key (a deep page is then as quick as the first):
  // the pages follow on from each other, and Previous comes back to the same rows.
  const pager = page.getByRole("navigation", { name: "Pagination" });
  await pager.getByLabel("Rows per page").selectOption("10");
  await expect(pager).toContainText("Showing 1–10");
  const page1 = (await columnTexts(page, 1)).map(Number);
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/after=\d+/);
  await expect(pager).toContainText("Showing 11–");
  const page2 = (await columnTexts(page, 1)).map(Number);
  expect([...page1, ...page2]).toEqual(
    [...page1, ...page2].sort((a, b) => (direction === "ascending" ? a - b : b - a)),
  );
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager).toContainText("Showing 21–");
  await pager.getByRole("button", { name: "Previous" }).click();
  await expect(page).toHaveURL(/before=\d+/);
  await expect(pager).toContainText("Showing 11–20");
  expect((await columnTexts(page, 1)).map(Number)).toEqual(page2);

  const firstId = page2[0];
  await table(page)
    .getByRole("link", { name: String(firstId), exact: true })
    .click();
  await expect(page.getByRole("heading", { name: `Claim ${firstId}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Backup attempts" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Primary-path failure" })).toBeVisible();
  await expect(page.getByText(REASON).first()).toBeVisible();
});

test("a triager selects all matching, sees the dry run and resubmits; the batch link is shown", async ({ page }) => {
  await signIn(page, "triager");
  // A small, outstanding slice so the batch is small.
  await page.goto(`/claims?state=never_tried&form=21-526EZ&reason=${encodeURIComponent(REASON)}`);
  const resubmit = page.getByRole("button", { name: /^Resubmit/ });
  await expect(resubmit).toBeDisabled();

  await page.getByRole("checkbox", { name: "Select all claims on this page" }).check();
  const firstRowBox = table(page).locator("tbody tr").first().getByRole("checkbox");
  await expect(firstRowBox).toBeChecked();
  await expect(firstRowBox).toHaveAccessibleName(/^Select claim \d+$/);

  const selectAll = page.getByRole("button", { name: /^Select all .* matching this filter$/ });
  if (await selectAll.count()) await selectAll.click();
  await expect(resubmit).toBeEnabled();

  // The dialog is modal, Escape closes it and focus returns to the button.
  await resubmit.click();
  const dialog = page.getByRole("dialog", { name: "Resubmit claims" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("dry-run-will-start")).toContainText(/Will start: \d+/);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(resubmit).toBeFocused();

  await resubmit.click();
  await expect(dialog.getByTestId("dry-run")).toBeVisible();
  await expect(dialog).toContainText("Selected claims by form");
  const submit = dialog.getByRole("button", { name: /^Resubmit \d+ backup/ });
  await submit.click();
  await expect(dialog.getByRole("alert")).toContainText("reason");
  await dialog.getByLabel("Reason (required)").fill("TRIAGE-123 e2e resubmit");
  await submit.click();
  const batchLink = dialog.getByTestId("batch-link");
  await expect(batchLink).toBeVisible();
  await expect(batchLink).toHaveAttribute("href", /^\/batches\/\d+$/);
  await expect(dialog).toContainText(/Batch #\d+ was created/);
});

test("a dry run the server refuses leaves no counts behind and Resubmit disabled", async ({ page, context }) => {
  await signIn(page, "triager");
  // A slice no other test resubmits: this one only asks for dry runs.
  await page.goto("/claims?state=never_tried&form=21-686C&sort=id.desc");
  await page.getByRole("checkbox", { name: "Select all claims on this page" }).check();
  await page.getByRole("button", { name: /^Resubmit/ }).click();
  const dialog = page.getByRole("dialog", { name: "Resubmit claims" });
  await expect(dialog.getByTestId("dry-run-will-start")).toContainText(/Will start: [1-9]/);
  await dialog.getByLabel("Reason (required)").fill("TRIAGE-300 dry run refused");
  const submit = dialog.getByRole("button", { name: /^Resubmit/ });
  await expect(submit).toBeEnabled();

  // The session ends behind the open dialog: the next dry run (Force asks for one) is refused.
  await context.clearCookies();
  await dialog.getByLabel(/^Force/).check();
  await expect(dialog.getByRole("alert")).toContainText("Sign in to continue.");
  await expect(dialog.getByTestId("dry-run")).toHaveCount(0);
  await expect(submit).toBeDisabled();
  await expect(submit).toHaveText("Resubmit");
});

test("a viewer sees masked PII and no Resubmit; a forged server action from a viewer is refused", async ({
  page,
  browser,
}) => {
  // Take a real action request (id and encoding) from a triager's page.
  await signIn(page, "triager");
  await page.goto("/claims?state=never_tried");
  await page
    .getByRole("checkbox", { name: /^Select claim \d+$/ })
    .first()
    .check();
  const actionRequest = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await page.getByRole("button", { name: /^Resubmit/ }).click();
  const captured = await actionRequest;
  const forged = {
    url: captured.url(),
    actionId: captured.headers()["next-action"],
    body: captured.postData() ?? "",
    contentType: captured.headers()["content-type"] ?? "text/plain;charset=UTF-8",
  };

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, "viewer");
  await viewer.goto("/claims");
  await expect(viewer.getByTestId("matching-count")).toBeVisible();
  await expect(viewer.getByRole("button", { name: /^Resubmit/ })).toHaveCount(0);
  await expect(viewer.getByRole("checkbox")).toHaveCount(0);
  const veterans = await columnTexts(viewer, 2);
  expect(veterans.length).toBeGreaterThan(0);
  for (const name of veterans) expect(name).toMatch(/^\p{Lu}\. \p{Lu}\.$/u);
  await expect(viewer.getByText(/veteran last name/)).toHaveCount(0);
  const lastName = (await columnTexts(page, 3))[0].split(" ").pop()!;
  await viewer.goto(`/claims?q=${encodeURIComponent(lastName)}`);
  await expect(viewer.getByText("No claims match these filters")).toBeVisible();
  await expect(viewer.getByText(/Names and file numbers are only searchable with the triager role/)).toBeVisible();
  await viewer.goto("/claims");

  const response = await viewer.evaluate(async (f) => {
    const r = await fetch(f.url, {
      method: "POST",
      headers: { "Next-Action": f.actionId, "Content-Type": f.contentType, Accept: "text/x-component" },
      body: f.body,
    });
    return { status: r.status, text: await r.text() };
  }, forged);
  expect(response.text).toContain("needs the triager role");
  expect(response.text).not.toContain("willStart");

  // The claim page masks too, and offers no PDFs or actions.
  const id = (await columnTexts(viewer, 0))[0];
  await viewer.goto(`/claims/${id}`);
  await expect(viewer.getByTestId("file-number")).toHaveText("•••");
  await expect(viewer.getByTestId("veteran-name")).toHaveText(/^\p{Lu}\. \p{Lu}\.$/u);
  await expect(viewer.getByRole("button", { name: /Resubmit this claim/ })).toHaveCount(0);
  const pdf = await viewer.request.get("/api/documents/1");
  expect(pdf.status()).toBe(403);
  await viewerContext.close();
});

test("unknown and invalid claim ids are not found: HTTP 404, a titled page and a way back", async ({ page }) => {
  await signIn(page, "viewer");
  for (const id of ["999999999", "abc", "0"]) {
    const response = await page.goto(`/claims/${id}`);
    expect(response?.status(), id).toBe(404);
    await expect(page.getByRole("heading", { name: "Claim not found" })).toBeVisible();
    await expect(page).toHaveTitle("Claim not found · Claim Triage");
  }
  await page.getByRole("link", { name: "Back to all claims" }).click();
  await expect(page).toHaveURL(/\/claims$/);

  const nowhere = await page.goto("/no-such-page");
  expect(nowhere?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page).toHaveTitle(/Page not found/);
  await expect(page.getByRole("link", { name: "Go to the overview" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("link values the list cannot use are named, not dropped without a word", async ({ page }) => {
  await signIn(page, "triager");
  await page.goto("/claims?from=2024-13-45");
  const notice = page.getByTestId("url-problems");
  await expect(notice).toContainText("“2024-13-45” in Submitted from (from=) is not a date this list understands");

  await page.goto("/claims?from=2023-05-01&to=2023-04-01");
  await expect(notice).toContainText("Submitted from (2023-05-01) is after submitted to (2023-04-01)");
  await notice.getByRole("link", { name: "Swap the dates" }).click();
  await expect(page).toHaveURL(/from=2023-04-01&to=2023-05-01/);
  await expect(page.getByTestId("url-problems")).toHaveCount(0);

  await page.goto("/claims?state=failed&page=99999");
  await expect(page.getByText(/^Page 40,000 is past the end of this list$/)).toBeVisible();
  await expect(page.getByText("No claims match these filters")).toHaveCount(0);
  await page.getByRole("link", { name: /^Go to the last page \(page \d+\)$/ }).click();
  await expect(table(page).locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("Showing");
  await expectNoSeriousAxeViolations(page);
});

test("search ignores accents and case, takes a full name or an e-mail, and says what a number matched", async ({
  page,
}) => {
  await signIn(page, "triager");
  const countFor = async (q: string) => {
    await page.goto(`/claims?q=${encodeURIComponent(q)}`);
    await expect(table(page)).toHaveAttribute("aria-busy", "false");
    return (await page.getByTestId("matching-count").innerText()).replace(/ matching.*/s, "");
  };
  const accented = await countFor("Núñez-Test");
  expect(Number(accented.replace(/,/g, ""))).toBeGreaterThan(0);
  expect(await countFor("Nunez-Test")).toBe(accented);
  expect(await countFor("NUNEZ-TEST")).toBe(accented);

  // A full name from a row, without its accents; then that claim's e-mail from its page.
  await page.goto(`/claims?q=${encodeURIComponent("Núñez-Test")}&sort=id.asc`);
  const veteran = (await columnTexts(page, 3))[0];
  const id = (await columnTexts(page, 1))[0];
  const plain = veteran.normalize("NFD").replace(/\p{M}/gu, "");
  await page.goto(`/claims?q=${encodeURIComponent(plain)}&sort=id.asc`);
  expect(await columnTexts(page, 1)).toContain(id);
  await page.goto(`/claims/${id}`);
  const email = (
    await page
      .locator("dt", { hasText: /^E-mail$/ })
      .locator("xpath=following-sibling::dd[1]")
      .innerText()
  ).trim();
  expect(email).toContain("@");
  await page.goto(`/claims?q=${encodeURIComponent(email.toUpperCase())}`);
  expect(await columnTexts(page, 1)).toContain(id);

  // A four-digit number is a claim id and the end of file numbers: the page says which is which.
  const fourDigits = (await columnTexts(page, 1)).find((c) => /^\d{4}$/.test(c)) ?? "1234";
  await page.goto(`/claims?q=${fourDigits}`);
  await expect(page.getByTestId("search-matches")).toContainText(
    new RegExp(`“${fourDigits}” matched [\\d,]+ by claim id and [\\d,]+ by last 4 of the file number`),
  );
  const byId = table(page).locator("tbody tr", { has: page.getByRole("link", { name: fourDigits, exact: true }) });
  await expect(byId.first()).toContainText("by claim id");
});

test("sorts by attempts and by triage state, both ways, from the column headers", async ({ page }) => {
  await signIn(page, "triager");
  await page.goto("/claims?form=21-526EZ");
  const attempts = table(page).getByRole("columnheader", { name: /Attempts/ });
  await attempts.getByRole("button").click();
  await expect(page).toHaveURL(/sort=attempts\.desc/);
  await expect(attempts).toHaveAttribute("aria-sort", "descending");
  const counts = (await columnTexts(page, 6)).map(Number);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  await table(page)
    .getByRole("columnheader", { name: /Triage state/ })
    .getByRole("button")
    .click();
  await expect(page).toHaveURL(/sort=triageState\.(asc|desc)/);
  await expect(table(page).getByRole("columnheader", { name: /Triage state/ })).toHaveAttribute("aria-sort", /ending$/);
});

test("after a resubmit the list refreshes its rows, drops the selection and puts focus on the result", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, "triager");
  await page.goto("/claims?state=never_tried&form=21-526EZ&sort=id.desc");
  const heading = page.getByTestId("matching-count");
  const before = Number((await heading.innerText()).replace(/[^\d]/g, ""));
  const [first, second] = await columnTexts(page, 1);
  await page.getByRole("checkbox", { name: `Select claim ${first}` }).check();
  await page.getByRole("checkbox", { name: `Select claim ${second}` }).check();
  const resubmit = page.getByRole("button", { name: /^Resubmit/ });
  await expect(resubmit).toHaveText("Resubmit 2…");
  await resubmit.click();
  const dialog = page.getByRole("dialog", { name: "Resubmit claims" });
  await expect(dialog.getByTestId("dry-run-will-start")).toContainText("Will start: 2 backups");
  await dialog.getByLabel("Reason (required)").fill("TRIAGE-400 list refresh");
  await dialog.getByRole("button", { name: "Resubmit 2 backups" }).click();
  await expect(dialog.getByTestId("batch-link")).toBeFocused();
  await expect(dialog).toContainText("Batch #");

  await dialog.getByRole("button", { name: "Back to the list" }).click();
  await expect(dialog).toBeHidden();
  await expect(heading).toBeFocused();
  await expect(resubmit).toHaveText("Resubmit…");
  await expect(resubmit).toBeDisabled();
  await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(0);
  // The dispatcher starts both claims in the background; the list catches up without a reload.
  await expect(table(page).getByRole("link", { name: first, exact: true })).toHaveCount(0, { timeout: 30_000 });
  await expect(table(page).getByRole("link", { name: second, exact: true })).toHaveCount(0);
  await expect(heading).toContainText(`${(before - 2).toLocaleString("en-US")} matching claims`);

  // Applying filters remounts the form: focus goes to what matched, not to the page body.
  await page.getByLabel("Form", { exact: true }).selectOption("21-686C");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/form=21-686C/);
  await expect(heading).toBeFocused();
});

test("the list is usable at 1024 px and the header at 390 px", async ({ page }) => {
  await signIn(page, "admin");
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.goto("/claims");
  await expect(table(page).locator("tbody tr").first()).toBeVisible();
  for (const name of [/Triage state/, /^Batch/]) {
    const box = await table(page).getByRole("columnheader", { name }).boundingBox();
    expect(box && box.x + box.width, String(name)).toBeLessThanOrEqual(1024);
  }
  const scroller = table(page).locator("xpath=..");
  expect(await scroller.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await page.screenshot({ path: test.info().outputPath("claims-1024.png"), fullPage: true });
  await expectNoSeriousAxeViolations(page);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/claims");
  await expect(page.getByTestId("matching-count")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const header = await page.locator("header").boundingBox();
  const audit = await page.getByRole("link", { name: "Audit log" }).boundingBox();
  expect(audit && header && audit.y + audit.height <= header.y + header.height).toBe(true);
  expect(audit && audit.x + audit.width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: test.info().outputPath("claims-390.png") });
  await expectNoSeriousAxeViolations(page);
});

test("no claims match: the empty state offers to clear the filters", async ({ page }) => {
  await signIn(page, "triager");
  await page.goto(`/claims?q=${encodeURIComponent("'; drop table saved_claims; --")}`);
  await expect(page.getByText("No claims match these filters")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/claims$/);
  await expect(table(page).locator("tbody tr").first()).toBeVisible();
});

test("the CSV export streams the current filter", async ({ page }) => {
  await signIn(page, "viewer");
  const response = await page.request.get(`/api/claims/export?state=failed`);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/csv");
  const lines = (await response.text()).trim().split("\r\n");
  expect(lines[0]).toContain("claim_id");
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain("Failed — needs a person");
});

test("both pages have no serious accessibility violations", async ({ page }) => {
  await signIn(page, "triager");
  await page.goto("/claims");
  await expect(page.getByTestId("matching-count")).toBeVisible();
  await expect(reasonsPanel(page).getByRole("link").first()).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  const first = await columnTexts(page, 1);
  await page.goto(`/claims/${first[0]}`);
  await expect(page.getByRole("heading", { name: /^Claim \d+$/, level: 1 })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("button", { name: "Resubmit this claim…" }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("a triager resubmits one claim from its page and is told what happened", async ({ page }) => {
  await signIn(page, "triager");
  await page.goto("/claims?state=never_tried&form=21-526EZ&sort=id.asc");
  const id = (await columnTexts(page, 1))[0];
  await page.goto(`/claims/${id}`);
  const open = page.getByRole("button", { name: "Resubmit this claim…" });
  await open.click();
  const dialog = page.getByRole("dialog", { name: `Resubmit claim ${id}` });
  await dialog.getByLabel("Reason (required)").fill("TRIAGE-200 single resubmit");
  await dialog.getByRole("button", { name: "Start backup" }).click();
  await expect(dialog.getByRole("status")).toHaveText(`Backup started for claim ${id}.`);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();

  // Asking again is answered too: refused with the reason while it is in flight or once uploaded
  // (or started again, if the worker has already finished it as a failure).
  await open.click();
  await dialog.getByLabel("Reason (required)").fill("TRIAGE-200 again");
  await dialog.getByRole("button", { name: "Start backup" }).click();
  await expect(dialog.getByText(/^(Not started: .+|Backup started for claim \d+\.)$/)).toBeVisible();
});

test("the audit log names a single-claim resubmit in words, not by its recorded name", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/audit?action=claim.resubmit");
  const events = page.getByRole("table", { name: /Audit events/ });
  await expect(events).toContainText("TRIAGE-200 single resubmit");
  await expect(events.locator("tbody tr").first().locator("td").nth(1).locator(".font-semibold")).toHaveText(
    "Resubmitted a claim",
  );
  await expect(page.getByLabel("Action")).toHaveValue("claim.resubmit");
  await expect(page.getByLabel("Action").locator("option:checked")).toHaveText("Resubmitted a claim");
});

test("the veteran-notified filter narrows the list and stays in the URL", async ({ page }) => {
  await signIn(page, "triager");
  // The overview's silent-failure link: outstanding claims whose veteran was never told.
  await page.goto("/claims?state=failed,never_tried&notified=no");
  const filters = page.getByRole("form", { name: "Filter claims" });
  await expect(filters.getByLabel("Veteran notified")).toHaveValue("no");
  await expect(filters.getByLabel("Triage state")).toHaveValue("failed,never_tried");
  await expect(page.getByTestId("matching-count")).toContainText("matching claims");

  await filters.getByLabel("Veteran notified").selectOption("yes");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/notified=yes/);
  await expect(page).toHaveURL(/state=failed%2Cnever_tried|state=failed,never_tried/);
  await expect(filters.getByLabel("Veteran notified")).toHaveValue("yes");
  await expect(table(page)).toHaveAttribute("aria-busy", "false");
  await page.screenshot({ path: test.info().outputPath("claims-notified-filter.png") });
  await expectNoSeriousAxeViolations(page);

  await filters.getByLabel("Veteran notified").selectOption("");
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).not.toHaveURL(/notified=/);
});
