import { expect, test } from "@playwright/test";
import { createDb } from "@/db/client";
import { ingestRecords } from "@/lib/ingest/write-records";
import { expectNoSeriousAxeViolations, signIn } from "../support/browser";
import { makeRecord, sourceSystem } from "../support/ingest-records";

// Issue #12.6 in the browser: an admin sees the Sources page with a refused record (its reasons,
// never its values); a triager opens an ingested claim and reads why it is on the list. Records go
// in through the same import the API and the file import use.

const SECRET = "Zzsecretname";
const system = sourceSystem();
let claimId = 0;
let refusedId = "";

test.beforeAll(async () => {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    const good = makeRecord(system);
    const bad = makeRecord(system, (r) => {
      r.veteran.lastName = SECRET;
      (r as { formType: string }).formType = "21-999";
    });
    refusedId = bad.source.id;
    const results = await ingestRecords(
      db,
      [good, bad].map((value, index) => ({ index, value })),
      "api",
    );
    expect(results.map((r) => r.result)).toEqual(["created", "refused"]);
    claimId = (results[0] as { claimId: number }).claimId;
  } finally {
    await close();
  }
});

test("an admin sees each source and a refused record with its reasons, not its values", async ({ page }) => {
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sources" }).click();
  await expect(page.getByRole("heading", { name: "Sources", level: 1 })).toBeVisible();
  const source = page.getByTestId(`source-${system}`);
  await expect(source.getByRole("rowheader")).toHaveText(system);
  await expect(page.getByTestId(`created-${system}`)).toHaveText("1 / 1");
  await expect(page.getByTestId(`refused-${system}`)).toHaveText("1 / 1");
  const refused = page.getByTestId("refusal").filter({ hasText: refusedId });
  await expect(refused).toContainText(system);
  await expect(refused).toContainText("formType");
  await expect(page.getByText(SECRET)).toHaveCount(0);
  await expect(page.getByRole("heading", { name: /Files waiting/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Conflicts/ })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("a triager reads why an ingested claim is on the list, and may not open Sources", async ({ page }) => {
  await signIn(page, "triager");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sources" })).toHaveCount(0);
  await page.goto(`/claims/${claimId}`);
  const why = page.getByRole("region", { name: "Why this claim is on the list" });
  await expect(why).toContainText("the primary job ran out of retries and no path accepted the claim in 3 weeks");
  await expect(why).toContainText("526.primary_job_exhausted");
  await expect(why).toContainText("Failed at the source: on the triage list, may be resubmitted.");
  await expect(why.getByRole("definition").first()).toBeVisible();
  await expect(why).toContainText(system);
  await expectNoSeriousAxeViolations(page);

  await page.goto("/sources");
  await expect(page).toHaveURL(/\/forbidden\?need=admin/);
});
