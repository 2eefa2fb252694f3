import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { getFiringAlerts } from "@/db/queries/alerts";
import type { AlertChannels } from "@/lib/alerts/deliver";
import { evaluateAlerts } from "@/lib/alerts/evaluate";

// The alert rules against the real database, with the channels captured: an episode opens when a
// rule fires, notifies once by e-mail and webhook however many evaluations follow, retries a failed
// delivery, and clears when the rule stops firing; the next episode notifies again.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
afterAll(async () => close());

const thresholds = { batchStallMinutes: 15, groupGrowthPerHour: 3, intake5xxPercent: 20, intakeMinCalls: 10 };

function channels() {
  const webhooks: { url: string; body: { text: string } }[] = [];
  const emails: { emailAddress: string; personalisation: Record<string, string> }[] = [];
  let webhookStatus = 200;
  const fetchStub = (async (url: string, init: RequestInit) => {
    webhooks.push({ url, body: JSON.parse(String(init.body)) });
    return new Response("ok", { status: webhookStatus });
  }) as unknown as typeof fetch;
  const value: AlertChannels = {
    appUrl: "https://triage.example.gov/",
    email: {
      client: {
        sendEmail: async (input) => {
          emails.push(input);
          return { id: randomUUID() };
        },
      },
      templateId: "alert-template",
      to: ["oncall@example.gov"],
    },
    webhook: { url: "https://hooks.example/alerts", timeoutMs: 1_000, fetch: fetchStub },
  };
  return { value, webhooks, emails, failWebhooks: (status: number) => (webhookStatus = status) };
}

async function failures(fingerprint: string, n: number) {
  await db.execute(sql`
    insert into saved_claims (form_type, form_data, veteran_first_name, veteran_last_name, file_number, file_last4,
      zip_code, email, submitted_at, group_id, failure_reason)
    select form_type, form_data, veteran_first_name, veteran_last_name, file_number, file_last4, zip_code, email,
      now(), group_id, ${fingerprint}
    from saved_claims order by id limit ${n}`);
}

describe("alerts", () => {
  it("fire once per episode by e-mail and webhook, retry a failed delivery, and clear", async () => {
    const fingerprint = `Alert test ${randomUUID()}`;
    const key = createHash("md5").update(fingerprint).digest("hex");
    const ch = channels();
    const mine = <T extends { body?: { text: string }; personalisation?: Record<string, string> }>(list: T[]) =>
      list.filter((x) => (x.body?.text ?? x.personalisation?.summary ?? "").includes(fingerprint));

    await failures(fingerprint, 2);
    await evaluateAlerts(db, thresholds, ch.value);
    expect((await getFiringAlerts(db)).filter((a) => a.subject === key)).toEqual([]);

    await failures(fingerprint, 1);
    ch.failWebhooks(500);
    await evaluateAlerts(db, thresholds, ch.value);
    const firing = (await getFiringAlerts(db)).filter((a) => a.subject === key);
    expect(firing).toHaveLength(1);
    expect(firing[0]).toMatchObject({ rule: "group_grew", link: `/groups/${key}` });
    expect(firing[0].summary).toContain("grew by 3 failures in the last hour");
    expect(mine(ch.emails)).toHaveLength(1);
    expect(mine(ch.emails)[0].personalisation.link).toBe(`https://triage.example.gov/groups/${key}`);
    expect(mine(ch.webhooks)).toHaveLength(1); // tried, refused: the slot is given back

    ch.failWebhooks(200);
    await evaluateAlerts(db, thresholds, ch.value);
    await evaluateAlerts(db, thresholds, ch.value);
    expect(mine(ch.webhooks)).toHaveLength(2); // the retry, then nothing more
    expect(mine(ch.emails)).toHaveLength(1);
    expect(mine(ch.webhooks)[1].body.text).toContain(`https://triage.example.gov/groups/${key}`);

    await db.execute(
      sql`update saved_claims set created_at = now() - interval '2 hours' where failure_reason = ${fingerprint}`,
    );
    await evaluateAlerts(db, thresholds, ch.value);
    expect((await getFiringAlerts(db)).filter((a) => a.subject === key)).toEqual([]);

    // A new episode is news again.
    await failures(fingerprint, 3);
    await evaluateAlerts(db, thresholds, ch.value);
    expect(mine(ch.webhooks)).toHaveLength(3);
    expect(mine(ch.emails)).toHaveLength(2);
  });

  it("count silent failures as the overview does", async () => {
    const ch = channels();
    await evaluateAlerts(db, thresholds, ch.value);
    const [row] = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from saved_claims where not failure_notified and triage_state in ('never_tried', 'failed')`,
    );
    const silent = (await getFiringAlerts(db)).filter((a) => a.rule === "silent_failures");
    expect(silent.length).toBe(Number(row.n) > 0 ? 1 : 0);
  });
});
