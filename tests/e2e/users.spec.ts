import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn, USERS } from "../support/browser";
import { IDP_PEOPLE } from "../support/idp-people";
import { signInThroughIdp } from "../support/idp-sign-in";

// The Users page (admins only): everyone who signed in, their role and status; an admin changes
// another person's role or disables the account, and the change is audited and holds at once.

const reader = IDP_PEOPLE.reader;

test.beforeAll(async ({ browser }) => {
  // Rita exists once she has signed in through the provider.
  const context = await browser.newContext();
  await signInThroughIdp(await context.newPage(), reader);
  await context.close();
});

test("lists the users with issuer, role, status and last sign-in; no controls on one's own row", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  const table = page.getByRole("table");
  for (const column of ["Name", "E-mail", "Signs in through", "Role", "Status", "Last sign-in"]) {
    await expect(table.getByRole("columnheader", { name: column })).toBeVisible();
  }
  const rita = table.getByRole("row").filter({ hasText: reader.email });
  await expect(rita.getByRole("rowheader")).toHaveText(reader.name);
  await expect(rita).toContainText(/http:\/\/localhost:\d+/);
  await expect(rita.getByLabel(`Role of ${reader.name}`)).toHaveValue("viewer");
  await expect(rita).toContainText("from groups");
  await expect(rita).toContainText("Active");
  await expect(rita).not.toContainText("Never");

  const me = table.getByRole("row").filter({ hasText: USERS.admin.email });
  await expect(me).toContainText("This is you");
  await expect(me.getByRole("button")).toHaveCount(0);
  await expect(me.getByRole("combobox")).toHaveCount(0);
  await expect(table.getByRole("row").filter({ hasText: USERS.viewer.email })).toContainText("Development sign-in");

  await expectNoSeriousAxeViolations(page);
  await page.screenshot({ path: test.info().outputPath("users-page.png"), fullPage: true });
  await page.screenshot({ path: "test-results/users-page.png", fullPage: true });
});

test("an admin changes another person's role; it holds at their next request and is audited", async ({
  page,
  browser,
}) => {
  const readerContext = await browser.newContext();
  const readerPage = await readerContext.newPage();
  await signInThroughIdp(readerPage, reader);
  await expect(readerPage.getByTestId("current-user")).toContainText("viewer");

  await signIn(page, "admin");
  await page.goto("/users");
  const rita = page.getByRole("row").filter({ hasText: reader.email });
  // By keyboard: the role select, then its Save button.
  await rita.getByLabel(`Role of ${reader.name}`).focus();
  await rita.getByLabel(`Role of ${reader.name}`).selectOption("triager");
  await page.keyboard.press("Tab");
  await expect(rita.getByRole("button", { name: `Save role of ${reader.name}` })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(rita.getByRole("status")).toHaveText("Now triager.");
  await expect(rita).toContainText("set by an admin");

  // A full request: a link keeps the header's layout from before (the page itself checks the role).
  await readerPage.goto("/claims");
  await expect(readerPage.getByTestId("current-user")).toContainText("triager");
  await readerContext.close();

  await page.goto("/audit?action=user.role_change");
  const event = page.getByRole("row").filter({ hasText: "Changed a user's role" }).first();
  await expect(event).toContainText("viewer → triager");
  await expect(event).toContainText(reader.name);
});

test("the disable dialog works from the keyboard and Escape leaves the account as it was", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/users");
  const rita = page.getByRole("row").filter({ hasText: reader.email });
  const disable = rita.getByRole("button", { name: `Disable ${reader.name}` });
  await disable.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: `Disable ${reader.name}?` });
  await expect(dialog).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(disable).toBeFocused();
  await expect(rita).toContainText("Active");
});

test("the Users page is for admins only", async ({ page }) => {
  await signIn(page, "triager");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/forbidden\?need=admin/);
});
