import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { actionLabel } from "@/components/audit/labels";
import { createDb, type Db } from "@/db/client";
import { getAuditActions } from "@/db/queries/audit-log";
import type { SessionUser } from "@/lib/auth/roles";
import { createClaimGroup } from "../support/claims-factory";

// What the single-claim actions write to the audit log is what the audit page has words for: the
// names recorded by resubmit, exclude and un-exclude (two of which once showed raw) each get a label.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({
  authorize: async () => (session.user ? { ok: true, user: session.user } : { ok: false, status: 401, error: "" }),
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { resubmitClaim } = await import("@/lib/actions/claims/resubmit-claim");
const { excludeClaim } = await import("@/lib/actions/claims/exclude-claim");
const { unexcludeClaim } = await import("@/lib/actions/claims/unexclude-claim");

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => {
  const { getBoss } = await import("@/lib/jobs/boss");
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});

async function admin(): Promise<SessionUser> {
  const [row] = await db.execute<{ id: number; email: string; name: string }>(
    sql`select id::int, email, name from users where email = 'admin@example.com'`,
  );
  return { id: Number(row.id), email: row.email, name: row.name, role: "admin" };
}

describe("audit labels for what the actions record", () => {
  it("label every action the single-claim paths record, and every action in the log", async () => {
    session.user = await admin();
    const excluded = await createClaimGroup(db as Db);
    const resubmitted = await createClaimGroup(db as Db);
    const claimId = excluded.mainClaimId;
    expect(await excludeClaim({ claimId, reason: "AUDIT-1 parked" })).toHaveProperty("data");
    expect(await unexcludeClaim({ claimId, reason: "AUDIT-1 back" })).toHaveProperty("data");
    const started = await resubmitClaim({ claimId: resubmitted.mainClaimId, reason: "AUDIT-2 again" });
    expect(started).toHaveProperty("data");

    const recorded = await db.execute<{ action: string }>(sql`
      select action from audit_events where claim_ids && array[${claimId}, ${resubmitted.mainClaimId}]::bigint[]`);
    expect(new Set(recorded.map((r) => r.action))).toEqual(
      new Set(["claim.exclude", "claim.unexclude", "claim.resubmit"]),
    );
    expect(actionLabel("claim.resubmit")).toBe("Resubmitted a claim");
    expect(actionLabel("claim.unexclude")).toBe("Brought back excluded claims");
    // Whatever the other paths have recorded so far: none shows as its raw name.
    for (const action of await getAuditActions(db)) expect(actionLabel(action), action).not.toBe(action);
  });
});
