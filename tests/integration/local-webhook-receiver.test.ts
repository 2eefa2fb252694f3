import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalBenefitsIntake, startLocalBenefitsIntake } from "@/local/benefits-intake";

// The local services' webhook receiver: what the app POSTs is kept per name, listed, and forgotten.

let service: LocalBenefitsIntake;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "webhook-receiver-"));
  service = await startLocalBenefitsIntake({ port: 0, dataDir: dir });
});
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the local webhook receiver", () => {
  it("answers a Slack-format POST with 200 ok and lists what each name received", async () => {
    const post = await fetch(`${service.origin}/webhooks/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "hello <https://x|x>" }),
    });
    expect([post.status, await post.text()]).toEqual([200, "ok"]);
    await fetch(`${service.origin}/webhooks/other`, { method: "POST", body: JSON.stringify({ text: "other" }) });
    const list = (await (await fetch(`${service.origin}/webhooks/alerts`)).json()) as { data: { body: unknown }[] };
    expect(list.data.map((d) => d.body)).toEqual([{ text: "hello <https://x|x>" }]);

    const bad = await fetch(`${service.origin}/webhooks/alerts`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    await fetch(`${service.origin}/webhooks/alerts`, { method: "DELETE" });
    expect(((await (await fetch(`${service.origin}/webhooks/alerts`)).json()) as { data: unknown[] }).data).toEqual([]);
    expect(((await (await fetch(`${service.origin}/webhooks/other`)).json()) as { data: unknown[] }).data).toHaveLength(
      1,
    );
  });
});
