"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ReasonDialog } from "@/components/claims/reason-dialog";
import { retryFailedItems } from "@/lib/actions/batches/retry-failed-items";
import { countOf } from "@/lib/plural";

// "Retry the failed items": a new batch of this batch's failed items, at its rate, with a reason.
export function RetryFailedButton({ batchId, failed }: { batchId: number; failed: number }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ href: string; batchId: number } | null>(null);
  if (failed === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded border border-primary bg-white px-3 py-2 text-sm font-semibold text-primary-dark hover:bg-blue-50"
      >
        Retry the {countOf(failed, "failed item")} as a new batch…
      </button>
      {created && (
        <Link href={created.href} className="font-semibold text-primary-dark underline" data-testid="retry-batch-link">
          Batch #{created.batchId}: the retry
        </Link>
      )}
      <ReasonDialog
        open={open}
        onClose={() => {
          setOpen(false);
          router.refresh();
        }}
        title="Retry the failed items"
        confirmLabel="Create the retry batch"
        description={
          <p>
            Creates and starts a new batch of this batch&apos;s {countOf(failed, "failed item")}, at this batch&apos;s
            rate. Claims that may not start now (excluded, already in flight) are skipped, as in any batch.
          </p>
        }
        onConfirm={async ({ reason }) => {
          const result = await retryFailedItems({ batchId, reason });
          if ("error" in result) return { ok: false, message: result.error };
          setCreated({ href: result.data.href, batchId: result.data.batchId });
          return {
            ok: true,
            message: `Batch #${result.data.batchId} was created with ${countOf(result.data.itemCount, "backup")}.`,
          };
        }}
      />
    </div>
  );
}
