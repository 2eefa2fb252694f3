import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, signIn, USERS } from "../support/browser";

test("a visit without a session goes to sign-in", async ({ page }) => {
  for (const path of ["/", "/claims", "/batches", "/audit"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/signin/);
  }
  await expect(page.getByRole("heading", { name: "Claim Triage" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("API routes refuse a request without a session", async ({ request }) => {
  const metrics = await request.get("/api/metrics");
  expect(metrics.status()).toBe(401);
});

for (const role of ["viewer", "triager", "admin"] as const) {
  test(`${role} signs in and sees the shell with name and role`, async ({ page }) => {
    await signIn(page, role);
    await expect(page.getByTestId("current-user")).toContainText(role);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Overview" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Claims" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Batches" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(role === "admin" ? 1 : 0);
    await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(role === "admin" ? 1 : 0);
  });
}

test("a triager cannot open the admin audit log", async ({ page }) => {
  await signIn(page, "triager");
  await page.goto("/audit");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "viewer");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/claims");
  await expect(page).toHaveURL(/\/signin/);
  expect(USERS.viewer.email).toContain("@example.com");
});

test("session cookie and security headers", async ({ page }) => {
  const response = await page.goto("/signin");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'self'");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  await signIn(page, "viewer");
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.includes("next-auth.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
});
