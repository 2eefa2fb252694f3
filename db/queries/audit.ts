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
