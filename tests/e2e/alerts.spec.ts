import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";

// An alert as the team lives it: a failure group grows fast, the worker fires the alert — a banner
// for everyone, one e-mail to the staff address, one Slack-format webhook, received by the local
// services — and clears it when the growth is over. Nothing here evaluates the rules but the worker.

const SHOTS = process.env.E2E_SHOTS_DIR;
// Where the demo's local services listen (the launcher writes it into the data dir).
const services = () =>
  JSON.parse(readFileSync(path.join(process.env.CLAIM_TRIAGE_DATA_DIR!, "local-services.json"), "utf8")) as {
    origin: string;
    apiKey: string;
  };

async function withDb<T>(fn: (db: ReturnType<typeof createDb>["db"]) => Promise<T>) {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    return await fn(db);
  } finally {
    await close();
  }
}

type Delivery = { body: { text: string; blocks: { text: { text: string } }[] } };
type Email = { email_address: string; personalisation: Record<string, string>; reference: string | null };

async function delivered(fingerprint: string) {
  const { origin, apiKey } = services();
  const hooks = (await (await fetch(`${origin}/webhooks/alerts`)).json()) as { data: Delivery[] };
  const mails = (await (await fetch(`${origin}/_admin/notifications`, { headers: { apikey: apiKey } })).json()) as {
    data: Email[];
  };
  return {
    webhooks: hooks.data.filter((d) => d.body.text.includes(fingerprint)),
    emails: mails.data.filter((m) => m.personalisation.summary?.includes(fingerprint)),
  };
}

test("a failure group growing fast fires an alert once, everywhere, and it clears", async ({ page }) => {
  test.setTimeout(150_000);
  const fingerprint = `E2E alert: Benefits Intake refused upload ${randomUUID().slice(0, 8)}`;
  const key = createHash("md5").update(fingerprint).digest("hex");
  // 25 claims arrive failing the same way within the hour (the rule's default threshold).
  await withDb((db) =>
    db.execute(sql`
      insert into saved_claims (form_type, form_data, veteran_first_name, veteran_last_name, file_number, file_last4,
        zip_code, email, submitted_at, group_id, failure_reason, black_hole, failure_notified)
      select form_type, form_data, veteran_first_name, veteran_last_name, file_number, file_last4, zip_code, email,
        now(), group_id, ${fingerprint}, false, true
      from saved_claims where form_type = '21-526EZ' order by id limit 25`),
  );
  // Each its own main claim, as ingest writes a claim: the backup flow finds a claim's group through
  // it, and later specs resubmit the newest never-tried claims, these among them.
  await withDb((db) => db.execute(sql`update saved_claims set main_claim_id = id where main_claim_id is null`));

  await signIn(page, "viewer");
  const banner = page.getByTestId("alert-banner").getByTestId("alert").filter({ hasText: fingerprint });
  await expect(async () => {
    await page.goto("/batches");
    await expect(banner).toContainText("grew by 25 failures in the last hour", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(banner).toContainText("Alert: A failure group grew fast.");
  await expect(banner.getByRole("link", { name: "Look into it" })).toHaveAttribute("href", `/groups/${key}`);
  for (const width of [1440, 1024, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await expectNoSeriousAxeViolations(page);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/alert-banner-${width}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // Delivered once each, with a link into the app, and not again while it keeps firing.
  await expect.poll(async () => (await delivered(fingerprint)).webhooks.length, { timeout: 30_000 }).toBe(1);
  await expect.poll(async () => (await delivered(fingerprint)).emails.length, { timeout: 30_000 }).toBe(1);
  const first = await delivered(fingerprint);
  expect(first.webhooks[0].body.text).toContain("Claim Triage alert: A failure group grew fast.");
  expect(first.webhooks[0].body.blocks[0].text.text).toContain(`/groups/${key}|Open in Claim Triage>`);
  expect(first.emails[0].personalisation.link).toMatch(new RegExp(`^http://localhost:\\d+/groups/${key}$`));
  await page.waitForTimeout(12_000); // two more evaluations at the test's 5 s interval
  const later = await delivered(fingerprint);
  expect([later.webhooks.length, later.emails.length]).toEqual([1, 1]);

  // The growth is an hour old: the alert clears, and the banner goes for everyone.
  await withDb((db) =>
    db.execute(
      sql`update saved_claims set created_at = now() - interval '2 hours' where failure_reason = ${fingerprint}`,
    ),
  );
  await expect(async () => {
    await page.goto("/batches");
    await expect(page.getByText(fingerprint)).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  const after = await delivered(fingerprint);
  expect([after.webhooks.length, after.emails.length]).toEqual([1, 1]);
});
