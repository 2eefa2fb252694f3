import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// The audit log is the admin's: filters live in the URL, a hand-edited link never breaks the page.

test("an admin filters the audit log by date range, and a broken date is ignored", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/audit?from=2000-01-01&to=2000-01-02");
  await expect(page.getByLabel("From (UTC)")).toHaveValue("2000-01-01");
  await expect(page.getByText("No audit events match this filter.")).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  await page.goto("/audit?from=yesterday&page=-3&size=7");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByLabel("From (UTC)")).toHaveValue("");
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/audit$/);
});

test("Clear resets every control, and the filtered log exports as CSV", async ({ page }) => {
  await signIn(page, "admin");
  // An export of the whole log first (audited itself), so there is an action to filter on.
  expect((await page.request.get("/api/audit/export")).status()).toBe(200);
  await page.goto("/audit");
  const action = page.getByLabel("Action");
  const firstAction = "audit.export";
  await action.selectOption(firstAction);
  await page.getByLabel("From (UTC)").fill("2000-01-01");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=audit\.export/);

  const exportLink = page.getByRole("link", { name: "Export these events (CSV)" });
  await expect(exportLink).toHaveAttribute("href", /\/api\/audit\/export\?action=.+&from=2000-01-01/);
  const csv = await page.request.get((await exportLink.getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toContain("user_email");
  expect(lines.slice(1).every((l) => l.includes(`,${firstAction},`))).toBe(true);

  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(action).toHaveValue("");
  await expect(page.getByLabel("From (UTC)")).toHaveValue("");
  // The next Apply is a fresh filter, not the old one again.
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).not.toHaveURL(/action=[^&]/);
  // The exports were recorded, in words.
  await page.goto("/audit?action=audit.export");
  await expect(page.getByRole("table", { name: /Audit events/ })).toContainText("Exported the audit log");
});

test("a viewer is refused the audit log", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/forbidden\?need=admin/);
});
