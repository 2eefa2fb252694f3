import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { notifications } from "@/db/schema";
import { enqueueNotification } from "../jobs/send-notification";

// The e-mails of the backup flow (VA Notify templates). A row is written in the transaction that
// decides the e-mail is due; the unique (claim, template, attempt) key keeps it to one per attempt.

export type NotificationTemplate = "backup_in_progress" | "backup_failed";

// One formatter, made once: toLocaleDateString builds a new one on every call, which showed in the
// worker's profile.
const LONG_DATE = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", year: "numeric", timeZone: "UTC" });
const longDate = (d: Date) => LONG_DATE.format(d);

export function personalisationFor(
  template: NotificationTemplate,
  claim: { guid: string; veteranFirstName: string; submittedAt: Date },
  extra: { failedAt?: Date; formsSubmitted?: string[] } = {},
): Record<string, string> {
  const base = {
    first_name: claim.veteranFirstName.toUpperCase(),
    date_submitted: longDate(claim.submittedAt),
    confirmation_number: claim.guid,
  };
  if (template === "backup_in_progress") return base;
  return {
    ...base,
    date_of_failure: longDate(extra.failedAt ?? new Date()),
    forms_submitted: (extra.formsSubmitted ?? []).join(", "),
  };
}

// The claim fields an e-mail needs; callers that already hold the claim pass it in.
export type EmailClaim = {
  id: number;
  email: string | null;
  guid: string;
  veteranFirstName: string;
  submittedAt: Date;
};

// Queue the e-mail and its send job; returns null when the claim has no address (recorded by the caller).
export async function queueEmail(
  tx: DbOrTx,
  input: {
    claim: EmailClaim;
    attemptId: number;
    template: NotificationTemplate;
    failedAt?: Date;
    formsSubmitted?: string[];
  },
): Promise<number | null> {
  const { claim } = input;
  if (!claim.email) return null;
  const [row] = await tx
    .insert(notifications)
    .values({
      claimId: claim.id,
      attemptId: input.attemptId,
      template: input.template,
      recipient: claim.email,
      personalisation: personalisationFor(input.template, claim, input),
    })
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  if (!row) {
    const [existing] = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.claimId, claim.id),
          eq(notifications.template, input.template),
          eq(notifications.attemptId, input.attemptId),
        ),
      );
    return existing?.id ?? null;
  }
  await enqueueNotification(tx, row.id);
  return row.id;
}
