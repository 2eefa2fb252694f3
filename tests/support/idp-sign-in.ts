import { expect, type Page } from "@playwright/test";
import type { IdpPerson } from "./idp-people";

// Through the app's "VA single sign-on" button to the test identity provider and back, as a person
// would. The provider asks for the login only when this browser has no session with it yet (as a
// real one does); where the person lands (the app, or a refusal) is for the test to check.
export async function signInThroughIdp(page: Page, person: IdpPerson) {
  await page.goto("/signin");
  const app = new URL(page.url()).origin;
  const backInApp = (url: URL) =>
    url.origin === app && !url.pathname.startsWith("/api/auth") && url.pathname !== "/signin";
  await page.getByRole("button", { name: "Sign in with VA single sign-on" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/interaction/") || backInApp(url));
  if (new URL(page.url()).origin === app) return;
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  await page.getByLabel("Login").fill(person.login);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(backInApp);
}
