import "server-only";
import type { Db } from "@/db/client";
import { recordClaimView } from "@/db/queries/audit";
import { requestOrigin } from "../actions/define-action";
import { canSeePii, type SessionUser } from "../auth/roles";

// Who saw whose data is the first thing an auditor asks: opening a claim page with its PII unmasked
// (triagers and admins) is an audit event. Viewers see initials only, so their visits are not.
// One event per user and claim per CLAIM_VIEW_WINDOW_MINUTES (db/queries/audit.ts says why).
const CLAIM_VIEW_WINDOW_MINUTES = 15;

export async function auditClaimView(db: Db, user: SessionUser, claim: { id: number; mainClaimId: number }) {
  if (!canSeePii(user)) return false;
  return recordClaimView(db, {
    user,
    claimId: claim.id,
    windowMinutes: CLAIM_VIEW_WINDOW_MINUTES,
    details: { page: "claim", mainClaimId: claim.mainClaimId },
    ...(await requestOrigin()),
  });
}
