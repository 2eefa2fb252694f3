"use client";

import { useState } from "react";
import type { TriageState } from "@/db/schema/enums";
import { excludeClaim } from "@/lib/actions/claims/exclude-claim";
import { resubmitClaim } from "@/lib/actions/claims/resubmit-claim";
import { unexcludeClaim } from "@/lib/actions/claims/unexclude-claim";
import { ReasonDialog } from "./reason-dialog";

const SECONDARY_BUTTON =
  "rounded border border-primary bg-white px-3 py-2 text-sm font-semibold text-primary-dark hover:bg-blue-50 " +
  "disabled:cursor-not-allowed disabled:border-base-light disabled:text-muted";

type Props = {
  claimId: number;
  mainClaimId: number;
  triageState: TriageState;
  inFlight: boolean;
  canResubmit: boolean;
  canExclude: boolean;
  zipHref: string | null;
};

// Actions on one claim. A 674's backup is its 686c's, so both act on the main claim; the server
// actions check the role again whatever this component shows.
export function ClaimActions({ claimId, mainClaimId, triageState, inFlight, canResubmit, canExclude, zipHref }: Props) {
  // Which dialog, fixed when it opens: after an un-exclude succeeds the page re-renders with the
  // claim back in triage, and the dialog still open on its result must keep its own title.
  const [open, setOpen] = useState<"resubmit" | "exclude" | "unexclude" | null>(null);
  const excluded = triageState === "excluded";
  const unexcluding = open === "unexclude";
  const groupNote =
    mainClaimId !== claimId ? (
      <p className="mt-2 text-sm">
        This claim travels with claim {mainClaimId}: the action applies to that whole group.
      </p>
    ) : null;

  if (!canResubmit && !canExclude && !zipHref) return null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {canResubmit && (
        <button
          type="button"
          onClick={() => setOpen("resubmit")}
          className="rounded bg-primary px-3 py-2 text-sm font-semibold text-white hover:bg-primary-dark"
        >
          Resubmit this claim…
        </button>
      )}
      {canExclude && (
        <button
          type="button"
          onClick={() => setOpen(excluded ? "unexclude" : "exclude")}
          disabled={!excluded && inFlight}
          className={SECONDARY_BUTTON}
        >
          {excluded ? "Un-exclude…" : "Exclude…"}
        </button>
      )}
      {canExclude && !excluded && inFlight && (
        <span className="text-sm text-muted">A backup is in flight; it cannot be excluded now.</span>
      )}
      {zipHref && (
        <a href={zipHref} className={SECONDARY_BUTTON}>
          Download all PDFs (zip)
        </a>
      )}

      <ReasonDialog
        open={open === "resubmit"}
        onClose={() => setOpen(null)}
        title={`Resubmit claim ${claimId}`}
        confirmLabel="Start backup"
        forceLabel="Force: resubmit even if already submitted or confirmed"
        description={
          <>
            <p>
              This starts a backup now: the PDFs are built, stamped and uploaded to Benefits Intake in the background.
            </p>
            {groupNote}
          </>
        }
        onConfirm={async ({ reason, force }) => {
          const result = await resubmitClaim({ claimId, reason, force });
          if ("error" in result) return { ok: false, message: result.error };
          return { ok: result.data.started, message: result.data.message };
        }}
      />
      <ReasonDialog
        open={open === "exclude" || unexcluding}
        onClose={() => setOpen(null)}
        title={unexcluding ? `Un-exclude claim ${claimId}` : `Exclude claim ${claimId}`}
        confirmLabel={unexcluding ? "Un-exclude" : "Exclude"}
        description={
          <>
            <p>
              {unexcluding
                ? "The claim goes back to the state its history gives it and can be resubmitted again."
                : "Excluded claims are parked: they keep their history, are skipped by every resubmit, " +
                  "and can be brought back."}
            </p>
            {groupNote}
          </>
        }
        onConfirm={async ({ reason }) => {
          const result = await (unexcluding ? unexcludeClaim : excludeClaim)({ claimId, reason });
          if ("error" in result) return { ok: false, message: result.error };
          return {
            ok: true,
            message: unexcluding
              ? `Claim ${result.data.mainClaimId} is back in triage.`
              : `Claim ${result.data.mainClaimId} is excluded.`,
          };
        }}
      />
    </div>
  );
}
