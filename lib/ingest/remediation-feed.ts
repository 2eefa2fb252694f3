import type { Db } from "@/db/client";
import { type FeedCursor, getRemediationEvents, type RemediationEvent } from "@/db/queries/ingest-remediations";

// The remediation feed (issue #12.5, docs/ingest.md "Remediation feed"): the source learns what Claim
// Triage did with its claims, so it stops counting a remediated claim as failed (DESIGN §9, closing
// the loop). The cursor is opaque to the source: it sends back the `next` it was given.

const FEED_LIMITS = { default: 100, max: 1_000 } as const;

const END_STATES = new Set(["vbms", "error", "expired"]);

export function parseCursor(text: string | null): FeedCursor | null | "invalid" {
  if (text === null || text === "") return null;
  const match = /^(\d{1,18})\.(\d{1,18})$/.exec(text);
  return match ? { txid: BigInt(match[1]), id: BigInt(match[2]) } : "invalid";
}

export function parseLimit(text: string | null): number | "invalid" {
  if (text === null || text === "") return FEED_LIMITS.default;
  if (!/^\d{1,5}$/.test(text)) return "invalid";
  const n = Number(text);
  return n >= 1 && n <= FEED_LIMITS.max ? n : "invalid";
}

const cursorOf = (e: { txid: string; id: string }) => `${e.txid}.${e.id}`;

// What the source records: for an upload that reached VBMS, a `manual` remediation carrying the
// Benefits Intake uuid; for a final failure, that the veteran was sent our failure e-mail.
function toEntry(e: RemediationEvent) {
  return {
    cursor: cursorOf(e),
    at: e.at.toISOString(),
    source: { system: e.sourceSystem, table: e.sourceTable, id: e.sourceId },
    // The 674s that travelled in this 686c's upload.
    carries: e.carried,
    claimId: e.claimId,
    attempt: e.attemptNumber,
    benefitsIntakeUuid: e.benefitsIntakeUuid,
    status: e.status,
    endState: END_STATES.has(e.status) ? e.status : null,
    final: e.status === "vbms" || e.status === "error" || e.status === "expired" || e.transient === false,
    errorCode: e.errorCode,
    failureEmail: e.failureEmail,
  };
}

export async function readRemediationFeed(db: Db, after: FeedCursor | null, limit: number, afterText: string | null) {
  const events = await getRemediationEvents(db, after, limit);
  const entries = events.map(toEntry);
  return {
    entries,
    // Where to ask from next time: the last entry's cursor, or the one given when nothing new came.
    next: entries.at(-1)?.cursor ?? afterText ?? null,
    more: entries.length === limit,
  };
}
