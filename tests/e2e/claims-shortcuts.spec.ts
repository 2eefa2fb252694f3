import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// The claims list from the keyboard: ? help, j/k between rows, x select, o open, / search — and none
// of them while typing in a field.

const SHOTS = process.env.E2E_SHOTS_DIR;

test("the claims list's keyboard shortcuts move, select, open and search, and never fire while typing", async ({
  page,
}) => {
  await signIn(page, "triager");
  await page.goto("/claims?state=never_tried");
  const rows = page.locator("main table tbody tr");
  await expect(rows.first()).toBeVisible();
  const idOf = async (i: number) => (await rows.nth(i).locator("th a").innerText()).trim();
  const [first, second] = [await idOf(0), await idOf(1)];

  // ? opens the help, an accessible dialog; Escape closes it.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  for (const key of ["/", "j", "k", "x", "o", "?"]) await expect(help.locator("kbd", { hasText: key })).toHaveCount(1);
  await expectNoSeriousAxeViolations(page);
  if (SHOTS) {
    for (const width of [1440, 1024, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SHOTS}/shortcuts-help-${width}.png` });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  // The visible way in does the same.
  await page.getByRole("button", { name: "Keyboard shortcuts" }).click();
  await expect(help).toBeVisible();
  await page.keyboard.press("Escape");
  // Closed before the next key: a j pressed while the dialog is still open is the dialog's, not the list's.
  await expect(help).toBeHidden();

  // j and k move between rows (focus on the claim's link); x selects the current one.
  await page.keyboard.press("j");
  await expect(rows.nth(0).locator("th a")).toBeFocused();
  await page.keyboard.press("j");
  await expect(rows.nth(1).locator("th a")).toBeFocused();
  await page.keyboard.press("k");
  await expect(rows.nth(0).locator("th a")).toBeFocused();
  await page.keyboard.press("x");
  await expect(page.getByLabel(`Select claim ${first}`)).toBeChecked();
  await expect(page.getByLabel(`Select claim ${second}`)).not.toBeChecked();

  // / goes to the search box; typing there is typing, not shortcuts.
  await page.keyboard.press("/");
  const search = page.locator('main input[name="q"]');
  await expect(search).toBeFocused();
  await page.keyboard.type("jkx?o");
  await expect(search).toHaveValue("jkx?o");
  await expect(help).toBeHidden();
  await expect(page.getByLabel(`Select claim ${first}`)).toBeChecked();
  await expect(page.getByLabel(`Select claim ${second}`)).not.toBeChecked();
  await expect(page).toHaveURL(/\/claims\?/);
  await search.fill("");

  // o opens the current claim.
  await rows.nth(1).locator("th a").focus();
  await page.keyboard.press("o");
  await expect(page).toHaveURL(new RegExp(`/claims/${second}$`));
});
