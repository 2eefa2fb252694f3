"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ReasonDialog } from "@/components/claims/reason-dialog";
import { ResubmitDialog } from "@/components/claims/resubmit-dialog";
import { excludeFailureGroup } from "@/lib/actions/failure-groups/exclude-failure-group";
import { countOf } from "@/lib/plural";

const SECONDARY_BUTTON =
  "rounded border border-primary bg-white px-3 py-2 text-sm font-semibold text-primary-dark hover:bg-blue-50";

// Acting on a whole group goes through the paths a selection of claims takes: the resubmit dialog
// with its dry run (the selection is the list filtered to this failure reason, frozen on confirm),
// and the exclusion of each claim with a reason.
export function GroupActions(props: {
  fingerprint: string;
  openClaims: number;
  canResubmit: boolean;
  canExclude: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<"resubmit" | "exclude" | null>(null);
  if (!props.canResubmit && !props.canExclude) return null;
  const close = () => {
    setOpen(null);
    router.refresh();
  };
  return (
    <div className="flex flex-wrap gap-2">
      {props.canResubmit && (
        <button
          type="button"
          onClick={() => setOpen("resubmit")}
          className="rounded bg-primary px-3 py-2 text-sm font-semibold text-white hover:bg-primary-dark"
        >
          Resubmit this group's claims…
        </button>
      )}
      {props.canExclude && (
        <button type="button" onClick={() => setOpen("exclude")} className={SECONDARY_BUTTON}>
          Exclude this group's claims…
        </button>
      )}
      {open === "resubmit" && (
        <ResubmitDialog
          open
          onClose={close}
          onCreated={() => router.refresh()}
          onDone={close}
          selection={{ kind: "filter", filter: { failureReason: props.fingerprint } }}
          summary={`the claims failing with “${props.fingerprint}”`}
          everything={false}
        />
      )}
      {open === "exclude" && (
        <ReasonDialog
          open
          onClose={close}
          title="Exclude this group's claims"
          confirmLabel="Exclude the claims"
          description={
            <p>
              Parks the {countOf(props.openClaims, "claim")} of this group that wait for a person (never tried or
              failed), each with this reason. Their history stays and each can be brought back.
            </p>
          }
          onConfirm={async ({ reason }) => {
            const result = await excludeFailureGroup({ fingerprint: props.fingerprint, reason });
            if ("error" in result) return { ok: false, message: result.error };
            const { excluded, refused, remaining } = result.data;
            return {
              ok: true,
              message:
                `Excluded ${countOf(excluded, "claim group")}.` +
                (refused ? ` ${countOf(refused, "claim")} could not be excluded (in flight or changed).` : "") +
                (remaining ? ` ${countOf(remaining, "claim group")} remain: run it again for the next part.` : ""),
            };
          }}
        />
      )}
    </div>
  );
}
