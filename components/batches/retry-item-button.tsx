"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ReasonDialog } from "@/components/claims/reason-dialog";
import { resubmitClaim } from "@/lib/actions/claims/resubmit-claim";

// Per-item retry from the batch page: the claim's resubmit (outside the batch; the item keeps its
// failed state as the batch's record).
export function RetryItemButton({ claimId }: { claimId: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded border border-primary bg-white px-2 py-1 text-xs font-semibold text-primary-dark hover:bg-blue-50"
        aria-label={`Retry claim ${claimId}`}
      >
        Retry…
      </button>
      <ReasonDialog
        open={open}
        onClose={() => {
          setOpen(false);
          router.refresh();
        }}
        title={`Retry claim ${claimId}`}
        confirmLabel="Retry this claim"
        description={<p>Starts a new backup of claim {claimId} now, outside the batch.</p>}
        onConfirm={async ({ reason }) => {
          const result = await resubmitClaim({ claimId, reason, force: false });
          if ("error" in result) return { ok: false, message: result.error };
          return { ok: result.data.started, message: result.data.message };
        }}
      />
    </>
  );
}
