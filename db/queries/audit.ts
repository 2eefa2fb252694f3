import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { auditEvents } from "../schema";
import type { AuditAction } from "../schema/audit";

export type AuditInput = {
  user: { id: number; email: string };
  action: AuditAction;
  claimIds?: number[];
  claimCount?: number;
  batchId?: number | null;
  reason?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
};

// Written in the same transaction as the action it records.
export async function recordAudit(db: DbOrTx, input: AuditInput) {
  await db.insert(auditEvents).values({
    userId: input.user.id,
    userEmail: input.user.email,
    action: input.action,
    claimCount: input.claimCount ?? input.claimIds?.length ?? 0,
    claimIds: input.claimIds?.slice(0, 1000) ?? null,
    batchId: input.batchId ?? null,
    reason: input.reason ?? null,
    details: input.details ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
}

// A person opened a claim's PII. Recorded at most once per user and claim per window: reloading or
// coming back within minutes is the same look, and an event per request would bury the others.
// Two first looks at the same instant may both be written (no lock): at worst a duplicate, never a gap.
export async function recordClaimView(
  db: DbOrTx,
  input: {
    user: { id: number; email: string };
    claimId: number;
    windowMinutes: number;
    details?: Record<string, unknown>;
    ip?: string | null;
    userAgent?: string | null;
  },
): Promise<boolean> {
  const action: AuditAction = "claim.view";
  const rows = await db.execute(sql`
    insert into ${auditEvents} (user_id, user_email, action, claim_count, claim_ids, details, ip, user_agent)
    select ${input.user.id}::bigint, ${input.user.email}::text, ${action}::text, 1, array[${input.claimId}::bigint],
      ${JSON.stringify(input.details ?? {})}::jsonb, ${input.ip ?? null}::text, ${input.userAgent?.slice(0, 300) ?? null}::text
    where not exists (
      select 1 from ${auditEvents}
      where user_email = ${input.user.email} and action = ${action}
        and at > now() - make_interval(mins => ${input.windowMinutes}::int)
        and claim_ids @> array[${input.claimId}::bigint])
    returning id`);
  return Array.from(rows as unknown as unknown[]).length > 0;
}
