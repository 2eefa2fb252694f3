import { expect, type Page } from "@playwright/test";
import type { IdpPerson } from "./idp-people";

// Through the app's "VA single sign-on" button to the test identity provider's sign-in page and
// back, as a person would. Where they land (the app, or a refusal) is for the test to check.
export async function signInThroughIdp(page: Page, person: IdpPerson) {
  await page.goto("/signin");
  const app = new URL(page.url()).origin;
  await page.getByRole("button", { name: "Sign in with VA single sign-on" }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  await page.getByLabel("Login").fill(person.login);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin === app && !url.pathname.startsWith("/api/auth"));
}
