import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// The leadership overview: key figures, the charts drawn with data, and each chart's text
// alternative (a summary and the figures as a table).

const CHARTS = [
  "Burn-down of outstanding claims",
  "Backup attempts per day, by outcome",
  "Outcome by form type",
  "Time from upload to VBMS",
  "Top failure reasons of outstanding claims",
];

test("every role sees the key figures and the charts with their text alternatives", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  for (const id of ["silent", "black-hole", "failed", "resubmitted", "confirmed"]) {
    await expect(page.getByTestId(`kpi-${id}`)).toContainText(/\d/);
  }
  const silent = page.getByTestId("kpi-silent");
  const value = Number((await silent.locator("dd").first().innerText()).replace(/,/g, ""));
  // The demo data starts with the black hole itself: silent failures are an alarm until worked off.
  if (value > 0)
    await expect(silent.getByRole("link", { name: "See these claims" })).toHaveAttribute(
      "href",
      /state=failed,never_tried/,
    );

  for (const name of CHARTS) {
    const figure = page.getByRole("figure", { name });
    await expect(figure).toBeVisible();
    // Drawn, with data: recharts' surface holds bars or an area path.
    await expect(figure.locator(".recharts-wrapper")).toHaveCount(1);
    await expect(figure.locator(".recharts-bar-rectangle, .recharts-area-area").first()).toBeAttached();
    // The text alternative: a summary in words and the figures as a table.
    await expect(figure.locator("p").first()).not.toBeEmpty();
    await figure.getByText("Show the figures as a table").click();
    await expect(figure.getByRole("table")).toBeVisible();
    expect(await figure.getByRole("table").locator("tbody tr").count()).toBeGreaterThan(0);
  }
  await expectNoSeriousAxeViolations(page);
});

test("the silent-failure link opens the list filtered to claims whose veteran was never told", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/");
  const link = page.getByTestId("kpi-silent").getByRole("link", { name: "See these claims" });
  // The link shows only while there are silent failures; its URL is the same either way.
  if (await link.count()) await link.click();
  else await page.goto("/claims?state=failed,never_tried&notified=no");
  await expect(page).toHaveURL(/notified=no/);
  await expect(page.getByLabel("Veteran notified")).toHaveValue("no");
  await expect(page.getByLabel("Triage state")).toHaveValue("failed,never_tried");
});
