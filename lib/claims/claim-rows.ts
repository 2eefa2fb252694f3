import type { ClaimListRecord } from "@/db/queries/claims-list";
import type { FormType, TriageState } from "@/db/schema/enums";
import type { SessionUser } from "../auth/roles";
import { veteranLabel } from "../pii";

// What the claims list sends to the browser: plain JSON, names masked for viewers on the server,
// no file numbers or e-mails at all.
export type ClaimRow = {
  id: number;
  mainClaimId: number;
  formType: FormType;
  veteran: string;
  submittedAt: string;
  failureReason: string | null;
  attemptCount: number;
  latestStatus: string | null;
  batchId: number | null;
  triageState: TriageState;
  blackHole: boolean;
  matchedOn?: string; // which meaning of an ambiguous search this row matched ("claim id")
};

export function toClaimRow(user: Pick<SessionUser, "role">, r: ClaimListRecord): ClaimRow {
  return {
    id: r.id,
    mainClaimId: r.mainClaimId ?? r.id,
    formType: r.formType,
    veteran: veteranLabel(user, { firstName: r.veteranFirstName, lastName: r.veteranLastName }),
    submittedAt: r.submittedAt.toISOString(),
    failureReason: r.failureReason,
    attemptCount: r.attemptCount,
    latestStatus: r.latestAttemptStatus,
    batchId: r.latestBatchId,
    triageState: r.triageState,
    blackHole: r.blackHole,
  };
}
