import { createHash, randomUUID } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// A failure group as the team owns it: the list of groups, one group's page, taking it on and
// resolving it, and the worker reopening it when a new claim fails the same way.

const SHOTS = process.env.E2E_SHOTS_DIR;

async function lookAt(page: Page, name: string) {
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
    await expectNoSeriousAxeViolations(page);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// Two never-tried seeded claims given a fingerprint of their own, so the test owns its group.
async function makeGroup(fingerprint: string) {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    await db.execute(sql`
      update saved_claims set failure_reason = ${fingerprint}
      where id in (select id from saved_claims where triage_state = 'never_tried' and main_claim_id = id
                   and form_type = '21-526EZ' and failure_reason <> ${fingerprint} order by id desc limit 2)`);
  } finally {
    await close();
  }
}

// A new claim arriving that fails the same way (as an ingest would write it).
async function newFailure(fingerprint: string) {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    await db.execute(sql`
      insert into saved_claims (form_type, form_data, veteran_first_name, veteran_last_name, file_number, file_last4,
        zip_code, email, submitted_at, group_id, failure_reason, black_hole)
      select form_type, form_data, veteran_first_name, veteran_last_name, file_number, file_last4, zip_code, email,
        now(), group_id, failure_reason, false
      from saved_claims where failure_reason = ${fingerprint} limit 1`);
    // Each its own main claim, as ingest writes a claim: the backup flow finds a claim's group through
    // it, and later specs resubmit the newest never-tried claims, these among them.
    await db.execute(sql`update saved_claims set main_claim_id = id where main_claim_id is null`);
  } finally {
    await close();
  }
}

test("a triager owns a failure group, resolves it, and sees it reopen on a new failure", async ({ page }) => {
  const fingerprint = `E2E group: upstream refused the upload (request <uuid>) ${randomUUID().slice(0, 8)}`;
  await makeGroup(fingerprint);
  const key = createHash("md5").update(fingerprint).digest("hex");

  await signIn(page, "triager");
  await page.getByRole("link", { name: "Failure groups" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Failure groups" })).toBeVisible();
  const row = page.getByTestId("group-row").filter({ hasText: fingerprint });
  await expect(row).toContainText("Open");
  await expect(row).toContainText("Nobody");
  await expect(page.getByTestId("sparkline").first()).toBeVisible();
  await lookAt(page, "groups");

  await row.getByRole("link", { name: fingerprint }).click();
  await expect(page).toHaveURL(new RegExp(`/groups/${key}$`));
  await expect(page.getByTestId("group-fingerprint")).toHaveText(fingerprint);
  await expect(page.getByTestId("group-claims")).toHaveText("2");
  await lookAt(page, "group");

  // The group's claims link opens the list filtered to it, with the same count.
  await page.getByTestId("group-claims").click();
  await expect(page.getByTestId("matching-count")).toHaveText("2 matching claims");
  await page.goBack();

  // Resubmitting the group goes through the dry run of the claims list's resubmit.
  await page.getByRole("button", { name: "Resubmit this group's claims…" }).click();
  const dialog = page.getByRole("dialog", { name: "Resubmit claims" });
  await expect(dialog).toContainText(fingerprint);
  await expect(dialog.getByTestId("dry-run-will-start")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // Own it and resolve it, with a ticket and a note.
  await page.getByLabel("Owner").selectOption({ label: "Theo Triager (me)" });
  await page.getByLabel("Status").selectOption("resolved");
  await page.getByLabel("Ticket link").fill("https://tickets.example.gov/CT-42");
  await page.getByLabel("Notes").fill("Upstream fixed the refusal on Nov 30.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeFocused();
  await expect(page.getByTestId("group-status")).toHaveText("Resolved");
  await expect(page.getByTestId("group-owner")).toHaveText("Theo Triager");
  await expect(page.getByTestId("group-history")).toContainText("Changed a failure group");
  await expect(page.getByTestId("group-history")).toContainText("status open → resolved");

  // A claim fails the same way: the worker reopens the group, and the page says why.
  await newFailure(fingerprint);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("group-reopened")).toContainText("Reopened: 1 new failure since it was resolved on", {
      timeout: 1_000,
    });
  }).toPass({ timeout: 45_000 });
  await expect(page.getByTestId("group-status")).toHaveText("Open (reopened)");
  await expect(page.getByTestId("group-claims")).toHaveText("3");
  await expect(page.getByTestId("group-history")).toContainText("Reopened a failure group (new failures)");
  await expect(page.getByTestId("group-history")).toContainText("by the worker");
  await lookAt(page, "group-reopened");
});

test("a viewer reads a group without the controls, and an unknown group is a 404", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/groups");
  await page.getByTestId("group-row").first().getByRole("link").click();
  await expect(page.getByTestId("group-fingerprint")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Resubmit this group/ })).toHaveCount(0);
  const missing = await page.goto(`/groups/${"0".repeat(32)}`);
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Failure group not found" })).toBeVisible();
});
