import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { recordAudit } from "@/db/queries/audit";
import { saveFailureGroupDecision } from "@/db/queries/failure-groups";
import { failureGroups, savedClaims, users } from "@/db/schema";
import { isCalendarDay } from "../calendar-day";
import { storableText } from "../storable-text";
import { FAILURE_GROUP_STATUSES } from "./lifecycle";

// What a person may change on a failure group, checked on the server: status (with the ignore
// condition when ignoring), owner, notes and ticket link. Every change is audited with what it was.

const ticketUrl = z
  .string()
  .trim()
  .max(500, "Keep the ticket link under 500 characters")
  .refine((v) => v === "" || /^https?:\/\/\S+$/i.test(v), "The ticket link must start with http:// or https://");

export const failureGroupChangeSchema = z
  .object({
    fingerprint: storableText(z.string().min(1).max(300), "The fingerprint"),
    status: z.enum(FAILURE_GROUP_STATUSES),
    ownerUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
    notes: storableText(z.string().trim().max(4000, "Keep the notes under 4,000 characters"), "The notes"),
    ticketUrl,
    ignoreUntilDay: z.string().refine(isCalendarDay, "Give the day as YYYY-MM-DD").nullable().default(null),
    ignoreUntilCount: z.number().int().min(1).max(1_000_000).nullable().default(null),
  })
  .refine((v) => v.status !== "ignored" || v.ignoreUntilDay !== null || v.ignoreUntilCount !== null, {
    message: "Say how long to ignore it: until a day, or until a number of new failures",
    path: ["ignoreUntilDay"],
  });

export type FailureGroupChange = z.infer<typeof failureGroupChangeSchema>;

type Who = { id: number; email: string };
type Origin = { ip: string | null; userAgent: string | null };

export type GroupUpdateResult = { ok: true; changed: string[] } | { ok: false; error: string };

export async function updateFailureGroup(
  db: Db,
  change: FailureGroupChange,
  who: Who,
  origin: Origin,
): Promise<GroupUpdateResult> {
  return db.transaction(async (tx) => {
    const [claim] = await tx
      .select({ one: sql<number>`1` })
      .from(savedClaims)
      .where(eq(savedClaims.failureReason, change.fingerprint))
      .limit(1);
    if (!claim) return { ok: false, error: "No claim has this failure reason any more." };
    if (change.ownerUserId !== null) {
      const [owner] = await tx.select({ role: users.role }).from(users).where(eq(users.id, change.ownerUserId));
      if (!owner || owner.role === "viewer") return { ok: false, error: "The owner must be a triager or an admin." };
    }
    const [before] = await tx
      .select()
      .from(failureGroups)
      .where(eq(failureGroups.fingerprint, change.fingerprint))
      .for("update");
    const ignoring = change.status === "ignored";
    const next = {
      status: change.status,
      ownerUserId: change.ownerUserId,
      notes: change.notes || null,
      ticketUrl: change.ticketUrl || null,
      ignoreUntilAt: ignoring && change.ignoreUntilDay ? new Date(`${change.ignoreUntilDay}T00:00:00Z`) : null,
      ignoreUntilCount: ignoring && !change.ignoreUntilDay ? change.ignoreUntilCount : null,
    };
    const was = {
      status: before?.status ?? "open",
      ownerUserId: before?.ownerUserId ?? null,
      notes: before?.notes ?? null,
      ticketUrl: before?.ticketUrl ?? null,
      ignoreUntilAt: before?.ignoreUntilAt ?? null,
      ignoreUntilCount: before?.ignoreUntilCount ?? null,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of Object.keys(next) as (keyof typeof next)[]) {
      const a = was[key] instanceof Date ? (was[key] as Date).toISOString() : was[key];
      const b = next[key] instanceof Date ? (next[key] as Date).toISOString() : next[key];
      if (a !== b) changes[key] = { from: a, to: b };
    }
    if (Object.keys(changes).length === 0) return { ok: true, changed: [] };
    await saveFailureGroupDecision(tx, change.fingerprint, next);
    await recordAudit(tx, {
      user: who,
      action: "group.update",
      details: { fingerprint: change.fingerprint, changes },
      ...origin,
    });
    return { ok: true, changed: Object.keys(changes) };
  });
}
