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

test("a viewer is refused the audit log", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/forbidden\?need=admin/);
});
