import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const USERS = {
  viewer: { name: "Vera Viewer", email: "viewer@example.com" },
  triager: { name: "Theo Triager", email: "triager@example.com" },
  admin: { name: "Ada Admin", email: "admin@example.com" },
} as const;

export async function signIn(page: Page, role: keyof typeof USERS) {
  await page.goto("/signin");
  await page.getByRole("button", { name: new RegExp(`Sign in as ${USERS[role].name}`) }).click();
  await expect(page.getByTestId("current-user")).toContainText(USERS[role].name);
  // The header's buttons work once React has hydrated the page: wait for it to settle.
  await page.waitForLoadState("networkidle");
}

// No serious or critical WCAG 2.1 A/AA violations on the page as it stands, once settled: after a
// client-side navigation Next streams the page's metadata behind its content, so for a moment the
// document has no <title> (axe's document-title fails on that moment, about one run in ten). A page
// that never gets its title still fails here, on the wait.
export async function expectNoSeriousAxeViolations(page: Page) {
  await expect(page, "the page has a title").toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}
