import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";
import { IDP_PEOPLE } from "../support/idp-people";
import { signInThroughIdp } from "../support/idp-sign-in";

// Sign-in through a real OpenID provider started for this run (tests/support/oidc-provider.ts):
// code flow with PKCE, a signed ID token, and the groups and email_verified claims deciding who
// comes in and as what (lib/auth/oidc-access.ts).

test("a member of the admin group signs in through the provider and is an admin", async ({ page }) => {
  await signInThroughIdp(page, IDP_PEOPLE.admin);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("current-user")).toContainText(IDP_PEOPLE.admin.name);
  await expect(page.getByTestId("current-user")).toContainText("admin");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Audit log" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toBeVisible();
  await page.goto("/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
});

test("a member of the staff group is a triager", async ({ page }) => {
  await signInThroughIdp(page, IDP_PEOPLE.staff);
  await expect(page.getByTestId("current-user")).toContainText(IDP_PEOPLE.staff.name);
  await expect(page.getByTestId("current-user")).toContainText("triager");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
});

test("a person in no allowed group is refused with a clear page and no session", async ({ page }) => {
  await signInThroughIdp(page, IDP_PEOPLE.outsider);
  await expect(page).toHaveURL(/\/signin\/refused\?reason=no_allowed_group/);
  await expect(page.getByRole("heading", { name: "No access to Claim Triage" })).toBeVisible();
  await expect(page.getByText("not in any of the groups allowed")).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await page.goto("/claims");
  await expect(page).toHaveURL(/\/signin/);
});

test("an unverified e-mail is refused", async ({ page }) => {
  await signInThroughIdp(page, IDP_PEOPLE.unverified);
  await expect(page).toHaveURL(/\/signin\/refused\?reason=unverified_email/);
  await expect(page.getByRole("heading", { name: "Your e-mail address is not verified" })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
});

test("a disabled user is signed out at the next click, and can come back when enabled", async ({ page, browser }) => {
  await signInThroughIdp(page, IDP_PEOPLE.staff);
  await expect(page.getByTestId("current-user")).toContainText(IDP_PEOPLE.staff.name);
  await page.waitForLoadState("networkidle");

  // An admin, in a browser of their own, disables the account.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "admin");
  await admin.goto("/users");
  const row = admin.getByRole("row").filter({ hasText: IDP_PEOPLE.staff.email });
  await row.getByRole("button", { name: `Disable ${IDP_PEOPLE.staff.name}` }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Disable account" }).click();
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();

  // The staff member's next click: out, with the reason.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Claims" }).click();
  await expect(page).toHaveURL(/\/signin\/refused\?reason=disabled/);
  await expect(page.getByRole("heading", { name: "Your account is disabled" })).toBeVisible();
  await page.goto("/claims");
  await expect(page).toHaveURL(/\/signin/);
  // Signing in again through the provider (which still knows them) is refused too.
  await signInThroughIdp(page, IDP_PEOPLE.staff);
  await expect(page).toHaveURL(/\/signin\/refused\?reason=disabled/);

  await row.getByRole("button", { name: `Enable ${IDP_PEOPLE.staff.name}` }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Enable account" }).click();
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  await adminContext.close();
  await signInThroughIdp(page, IDP_PEOPLE.staff);
  await expect(page.getByTestId("current-user")).toContainText(IDP_PEOPLE.staff.name);
});
