import { expect, type Page, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// Saved views: the list as someone left it, by name, kept private or shared with the team, in the
// rail; and the overview's figures, each opening a view whose count is the figure.

const SHOTS = process.env.E2E_SHOTS_DIR;
const figure = async (page: Page, id: string) =>
  Number((await page.getByTestId(`kpi-${id}`).locator("dd").first().innerText()).replace(/,/g, ""));
const matching = async (page: Page) => {
  const text = await page.getByTestId("matching-count").innerText();
  return Number(text.replace(/[^\d]/g, ""));
};

test("each overview figure opens a view whose count is the figure", async ({ page }) => {
  await signIn(page, "triager");
  for (const [id, view] of [
    ["silent", "Silent failures"],
    ["black-hole", "Outstanding black hole"],
    ["failed", "Failed, needing a person"],
  ] as const) {
    await page.goto("/");
    const value = await figure(page, id);
    const link = page.getByTestId(`kpi-${id}`).getByRole("link");
    // Silent failures link only while there are some (the figure must read 0 otherwise).
    if ((await link.count()) === 0) {
      expect(value).toBe(0);
      continue;
    }
    await link.click();
    await expect(page.getByTestId("matching-count")).toBeVisible();
    expect(await matching(page), `${id}: the list's count`).toBe(value);
    // The same list is the team's view in the rail, marked as the one shown.
    await expect(page.getByRole("link", { name: view, exact: true })).toHaveAttribute("aria-current", "page");
  }
});

test("a triager saves a view with its own columns, shares it, and an admin opens it", async ({ page, browser }) => {
  const name = `Failed 526EZ by attempts ${Date.now() % 100000}`;
  await signIn(page, "triager");
  await page.goto("/claims?state=failed&form=21-526EZ&sort=attempts.desc");
  const count = await matching(page);
  await page.getByRole("button", { name: "Save this view…" }).click();
  const dialog = page.getByRole("dialog", { name: "Save this view" });
  await expect(dialog).toBeVisible();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/save-view-dialog-1440.png` });
  await expectNoSeriousAxeViolations(page);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Veteran", { exact: true }).uncheck();
  await dialog.getByLabel("Primary failure reason").uncheck();
  await dialog.getByLabel(/Share with the team/).check();
  await dialog.getByRole("button", { name: "Save view" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `Saved the view “${name}”.` })).toBeVisible();

  // The list now shows the view's columns, and the rail marks the view as the one shown.
  const mine = page.getByTestId("shared-views").getByRole("link", { name, exact: true });
  await expect(mine).toHaveAttribute("aria-current", "page");
  await expect(page).toHaveURL(/cols=/);
  await expect(page.getByRole("columnheader", { name: "Veteran" })).toHaveCount(0);
  await expect(page.getByRole("columnheader", { name: /Triage state/ })).toHaveCount(1);
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoSeriousAxeViolations(page);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/claims-views-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // A private view stays the triager's own.
  await page.goto("/claims?state=never_tried");
  await page.getByRole("button", { name: "Save this view…" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill(`${name} (private)`);
  await page.getByRole("dialog").getByRole("button", { name: "Save view" }).click();
  await expect(page.getByTestId("my-views").getByRole("link", { name: `${name} (private)` })).toBeVisible();

  // Another person: the shared view is in their rail under the triager's name; the private one is not.
  const context = await browser.newContext();
  const other = await context.newPage();
  await signIn(other, "admin");
  await other.goto("/claims");
  const shared = other.getByTestId("shared-views").getByTestId("saved-view").filter({ hasText: name });
  await expect(shared).toContainText("Theo Triager");
  await expect(shared.getByRole("button", { name: /Delete/ })).toHaveCount(0);
  await expect(other.getByRole("link", { name: `${name} (private)` })).toHaveCount(0);
  await shared.getByRole("link", { name }).click();
  await expect(other.getByRole("link", { name, exact: true })).toHaveAttribute("aria-current", "page");
  await expect(other.getByLabel("Triage state")).toHaveValue("failed");
  expect(await matching(other)).toBe(count);
  await expect(other.getByRole("columnheader", { name: "Veteran" })).toHaveCount(0);
  await context.close();

  // The owner deletes it; it is gone from the rail.
  await page.goto("/claims");
  await page.getByRole("button", { name: `Delete the view ${name}`, exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Deleted the view “${name}”.` })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});
