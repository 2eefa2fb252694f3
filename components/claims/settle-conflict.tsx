"use client";

import { useState } from "react";
import { settleConflict } from "@/lib/actions/ingest/settle-conflict";
import { ReasonDialog } from "./reason-dialog";

// Admins decide an open conflict with the system of record (docs/ingest.md, Reconciliation).
const BUTTON =
  "rounded border border-primary bg-white px-3 py-2 text-sm font-semibold text-primary-dark hover:bg-blue-50";

type Decision = "keep_ours" | "resolved_elsewhere";

export function SettleConflict({ claimId }: { claimId: number }) {
  const [open, setOpen] = useState<Decision | null>(null);
  return (
    <div className="flex flex-wrap gap-3">
      <button type="button" className={BUTTON} onClick={() => setOpen("keep_ours")}>
        Our backup stands
      </button>
      <button type="button" className={BUTTON} onClick={() => setOpen("resolved_elsewhere")}>
        Resolved elsewhere
      </button>
      <ReasonDialog
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open === "keep_ours" ? `Keep our backup of claim ${claimId}` : `Claim ${claimId} resolved elsewhere`}
        confirmLabel="Settle the conflict"
        description={
          <p>
            {open === "keep_ours"
              ? "The claim keeps our own outcome; the conflict is closed. Tell the source our upload stands."
              : "The claim leaves the triage list as resolved elsewhere and may not be resubmitted. Only once no backup of ours is queued or running."}
          </p>
        }
        onConfirm={async ({ reason }) => {
          const result = await settleConflict({ claimId, decision: open ?? "keep_ours", reason });
          if ("error" in result) return { ok: false, message: result.error };
          return { ok: true, message: `The conflict on claim ${claimId} is settled.` };
        }}
      />
    </div>
  );
}
