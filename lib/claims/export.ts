import "server-only";
import type { SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getClaimsExportPage } from "@/db/queries/claims-list";
import type { SessionUser } from "../auth/roles";
import { toClaimRow } from "./claim-rows";
import { attemptStatusLabel, TRIAGE_STATE_LABELS } from "./labels";

// The claims CSV: every row matching the filter, newest first, read in keyset pages so an export of
// a million claims streams in bounded memory. Names are masked for viewers exactly as on screen.

export const CLAIMS_CSV_HEADER = [
  "claim_id",
  "main_claim_id",
  "form_type",
  "veteran",
  "submitted_at",
  "failure_reason",
  "attempts",
  "latest_status",
  "batch_id",
  "triage_state",
  "black_hole",
];
export const EXPORT_PAGE_SIZE = 1_000;

export async function* claimsCsvPages(
  db: Db,
  where: SQL,
  user: Pick<SessionUser, "role">,
): AsyncGenerator<unknown[][]> {
  let after: { cursor: string; id: number } | undefined;
  for (;;) {
    const page = await getClaimsExportPage(db, { where, after, limit: EXPORT_PAGE_SIZE });
    if (page.length === 0) return;
    yield page.map((record) => {
      const r = toClaimRow(user, record);
      return [
        r.id,
        r.mainClaimId,
        r.formType,
        r.veteran,
        r.submittedAt,
        r.failureReason,
        r.attemptCount,
        attemptStatusLabel(r.latestStatus),
        r.batchId,
        TRIAGE_STATE_LABELS[r.triageState],
        r.blackHole ? "yes" : "no",
      ];
    });
    if (page.length < EXPORT_PAGE_SIZE) return;
    const last = page[page.length - 1];
    after = { cursor: last.cursor, id: last.id };
  }
}
