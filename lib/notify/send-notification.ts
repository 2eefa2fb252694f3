import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { setGroupTriage } from "@/db/queries/backups";
import { incrementCounter } from "@/db/queries/metrics";
import { notifications, primarySubmissions } from "@/db/schema";
import { log } from "../log";
import type { VaNotifyClient } from "./va-notify-client";
import { classifyVaNotifyError } from "./va-notify-client";

export type NotifyDeps = {
  db: Db;
  vaNotify: VaNotifyClient;
  templateIds: { backup_in_progress: string; backup_failed: string };
};

// Sends one queued e-mail. Safe to run twice: a sent row is never sent again, and the provider is
// given our row id as its reference. A transient failure throws so the queue retries with backoff;
// a permanent one is recorded on the row and counted, never dropped quietly.
export async function sendNotification(deps: NotifyDeps, notificationId: number, isLastTry: boolean) {
  const { db } = deps;
  const [row] = await db.select().from(notifications).where(eq(notifications.id, notificationId));
  if (!row || row.status === "sent") return;
  try {
    const result = await deps.vaNotify.sendEmail({
      emailAddress: row.recipient,
      templateId: deps.templateIds[row.template],
      personalisation: row.personalisation,
      reference: `notification-${row.id}`,
    });
    // One transaction, its statements sent together (they do not depend on each other).
    await db.transaction(async (tx) => {
      await Promise.all([
        tx
          .update(notifications)
          .set({
            status: "sent",
            providerId: result.id,
            sentAt: sql`now()`,
            tries: sql`${notifications.tries} + 1`,
            lastError: null,
          })
          .where(eq(notifications.id, row.id)),
        // The veteran now knows: this claim is no longer a silent failure.
        ...(row.template === "backup_failed"
          ? [
              setGroupTriage(tx, row.claimId, { failureNotified: true, blackHole: false }),
              tx
                .update(primarySubmissions)
                .set({ failureNoticeSent: true })
                .where(eq(primarySubmissions.claimId, row.claimId)),
            ]
          : []),
        incrementCounter(tx, "claim_triage_emails_total", { template: row.template, outcome: "sent" }),
      ]);
    });
    log.info({ notificationId: row.id, claimId: row.claimId, template: row.template }, "e-mail sent");
  } catch (e) {
    const err = classifyVaNotifyError(e);
    const final = err.kind === "permanent" || isLastTry;
    await db.transaction(async (tx) => {
      await tx
        .update(notifications)
        .set({
          tries: sql`${notifications.tries} + 1`,
          lastError: err.detail.slice(0, 500),
          ...(final ? { status: "failed" as const } : {}),
        })
        .where(eq(notifications.id, row.id));
      if (final) await incrementCounter(tx, "claim_triage_emails_total", { template: row.template, outcome: "failed" });
    });
    log.warn(
      { notificationId: row.id, claimId: row.claimId, kind: err.kind, httpStatus: err.httpStatus },
      "e-mail not sent",
    );
    if (!final) throw err;
  }
}
