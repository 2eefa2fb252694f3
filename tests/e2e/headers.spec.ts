import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { sql } from "drizzle-orm";
import { createDb } from "@/db/client";
import { signIn } from "../support/browser";
import { CANARY_HOST, isCanary, readCspViolations } from "../support/csp-reports";

// The security headers as Chromium meets them: every page's Content-Security-Policy carries a fresh
// nonce, every script on the page carries it and nothing is blocked; the stamped PDF preview still
// shows in its frame; cookies and the other headers are as production needs. (Violations anywhere
// in the whole run are caught as well: tests/support/csp-reports.ts.)

test.describe.configure({ mode: "serial" });

// Every page the app has, found in app/ (so a new page is visited without a change here), with
// ids and query strings filled in from the database.
function appPages(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "page.tsx") found.push(path.relative("app", dir));
    }
  };
  walk("app");
  return found.map(
    (dir) =>
      `/${dir
        .split(path.sep)
        .filter((s) => s && !/^\(.*\)$/.test(s))
        .join("/")}`,
  );
}

const withDb = async <T>(query: (db: ReturnType<typeof createDb>["db"]) => Promise<T>) => {
  const { db, close } = createDb(process.env.DATABASE_URL!, { max: 1 });
  try {
    return await query(db);
  } finally {
    await close();
  }
};

const sampleIds = () =>
  withDb(async (db) => {
    const [claim] = await db.execute<{ id: number }>(sql`select id::int from saved_claims order by id limit 1`);
    const [batch] = await db.execute<{ id: number }>(sql`select id::int from batches order by id limit 1`);
    return { claimId: Number(claim.id), batchId: Number(batch?.id ?? 1) };
  });

// A claim the backup may start: never tried, a 526EZ on its own, in no batch.
const startableClaimId = () =>
  withDb(async (db) => {
    const [row] = await db.execute<{ id: number }>(sql`
      select id::int from saved_claims
      where triage_state = 'never_tried' and form_type = '21-526EZ' and id = main_claim_id
        and id not in (select claim_id from batch_items)
      order by id desc limit 1`);
    return Number(row.id);
  });

const firstDocumentOf = (claimId: number) =>
  withDb(async (db) => {
    const [row] = await db.execute<{ id: number }>(
      sql`select id::int from documents where claim_id = ${claimId} order by id limit 1`,
    );
    return row ? Number(row.id) : null;
  });

function policyOf(header: string | undefined) {
  const directives = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name, values.join(" "));
  }
  return directives;
}

// The violations the page itself saw (the securitypolicyviolation event), besides the reports.
async function watchViolations(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) =>
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) console.push(m.text());
  });
  return async () => [...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)), ...console];
}

async function expectNoncedPage(page: Page, url: string) {
  const response = await page.goto(url);
  expect(response, url).not.toBeNull();
  expect(response!.status(), url).toBeLessThan(500);
  const headers = response!.headers();
  const policy = policyOf(headers["content-security-policy"]);
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy.get("script-src") ?? "")?.[1];
  expect(nonce, `${url}: script-src ${policy.get("script-src")}`).toBeTruthy();
  expect(policy.get("script-src")).not.toContain("unsafe-inline");
  expect(policy.get("object-src")).toBe("'none'");
  expect(policy.get("frame-ancestors")).toBe("'self'");
  expect(headers["x-frame-options"]).toBe("SAMEORIGIN");
  // Every script in the page as the server sent it carries this request's nonce. (Chunks that
  // Next's runtime adds later need none: 'strict-dynamic' trusts what a trusted script loads.)
  const scripts = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, url).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, url).toContain(`nonce="${nonce}"`);
  await page.waitForLoadState("networkidle");
  return nonce!;
}

test("every page carries a nonce in its policy and on its scripts, and nothing is blocked", async ({ page }) => {
  const violations = await watchViolations(page);
  const ids = await sampleIds();
  const fill = (route: string) =>
    route
      .replace("/claims/[id]", `/claims/${ids.claimId}`)
      .replace("/batches/[id]", `/batches/${ids.batchId}`)
      .replace(/^\/forbidden$/, "/forbidden?need=admin")
      .replace(/^\/signin\/refused$/, "/signin/refused?reason=disabled")
      // Any other page of one thing: a thing that does not exist, whose not-found page is checked too.
      .replace(/\[[^\]]+\]/g, "0");
  const pages = appPages().map(fill);

  // Before signing in: the sign-in page (a signed-in person is sent on from it).
  const first = await expectNoncedPage(page, "/signin");
  expect(await expectNoncedPage(page, "/signin"), "a fresh nonce on every request").not.toBe(first);
  await signIn(page, "admin");
  for (const url of [...pages.filter((p) => p !== "/signin"), "/no-such-page"]) {
    await expectNoncedPage(page, url);
    // Next's runtime ran (it names itself on window) and so did the inline scripts carrying the
    // page's data for React (they fill __next_f): blocked, the page would never become interactive.
    const ran = await page.evaluate(() => {
      const w = window as unknown as { next?: { appDir?: boolean }; __next_f?: unknown };
      return { runtime: w.next?.appDir === true, inlineData: Array.isArray(w.__next_f) };
    });
    expect(ran, url).toEqual({ runtime: true, inlineData: true });
  }
  expect(await violations()).toEqual([]);
});

test("the stamped PDF preview shows inside the page", async ({ page }) => {
  const violations = await watchViolations(page);
  // A fresh database has no stamped PDFs yet: back one claim up, as a triager does, and wait for
  // the worker to stamp its PDFs (they exist before the upload, whatever Benefits Intake answers).
  const claimId = await startableClaimId();
  await signIn(page, "triager");
  await page.goto(`/claims/${claimId}`);
  await page.getByRole("button", { name: "Resubmit this claim…" }).click();
  const dialog = page.getByRole("dialog", { name: `Resubmit claim ${claimId}` });
  await dialog.getByLabel("Reason (required)").fill("HEADERS-1 preview in a frame");
  await dialog.getByRole("button", { name: "Start backup" }).click();
  await expect(dialog.getByRole("status")).toHaveText(`Backup started for claim ${claimId}.`);
  await expect.poll(() => firstDocumentOf(claimId), { timeout: 45_000 }).not.toBeNull();
  await page.goto(`/claims/${claimId}`);
  const pdf = page.waitForResponse((r) => /\/api\/documents\/\d+\?inline=1$/.test(r.url()));
  await page
    .getByRole("button", { name: /^Preview/ })
    .first()
    .click();
  const response = await pdf;
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["x-frame-options"]).toBe("SAMEORIGIN");
  expect(policyOf(response.headers()["content-security-policy"]).get("frame-ancestors")).toBe("'self'");
  // A frame the headers refused would hold Chromium's error page (chrome-error://…) instead of the
  // PDF; Chromium's viewer draws the PDF in a frame of its own, out of the page's reach.
  await expect(page.locator("iframe[title^='Preview of']")).toBeVisible();
  await expect
    .poll(() =>
      page
        .frames()
        .find((f) => f.parentFrame() === page.mainFrame())
        ?.url(),
    )
    .toBe(response.url());
  expect(await violations()).toEqual([]);
});

test("session cookies, HSTS and the other fixed headers", async ({ page }) => {
  const response = await page.goto("/signin");
  const headers = response!.headers();
  expect(headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  await signIn(page, "viewer");
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "__Secure-next-auth.session-token");
  expect(session, cookies.map((c) => c.name).join(", ")).toBeTruthy();
  expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax" });
  for (const cookie of cookies.filter((c) => c.name.includes("next-auth"))) {
    expect(cookie, cookie.name).toMatchObject({ secure: true, httpOnly: true, sameSite: "Lax" });
  }
});

test("a state-changing request from another site is refused, even with an admin's session", async ({ page }) => {
  await signIn(page, "admin");
  const forged = await page.request.post("/api/batches/import", {
    headers: { Origin: "https://attacker.example" },
    multipart: { mode: "preview", file: { name: "retry.csv", mimeType: "text/csv", buffer: Buffer.from("1\n") } },
  });
  expect(forged.status()).toBe(403);
  const own = await page.request.post("/api/batches/import", {
    headers: { Origin: new URL(page.url()).origin },
    multipart: { mode: "preview", file: { name: "retry.csv", mimeType: "text/csv", buffer: Buffer.from("1\n") } },
  });
  expect(own.status()).toBe(200);
});

test("violations are reported to the app, so the end-of-run check sees them", async ({ page }) => {
  await signIn(page, "viewer");
  // An image from an address the policy does not allow: blocked, and reported.
  await page.evaluate((host) => {
    const img = new Image();
    img.src = `https://${host}/probe.png`;
    document.body.append(img);
  }, CANARY_HOST);
  await expect.poll(() => readCspViolations().filter(isCanary).length, { timeout: 15_000 }).toBeGreaterThan(0);
  expect(readCspViolations().find(isCanary)).toMatchObject({ directive: "img-src" });
});
