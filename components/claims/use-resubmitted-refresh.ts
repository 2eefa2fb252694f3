"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import type { ClaimRow } from "@/lib/claims/claim-rows";

// After a resubmit the batch's claims change state only as its dispatcher starts them, a moment
// later and in the background. The list refreshes at once, then every 2 s while a resubmitted row
// on the page still reads "never tried" or "failed" (for at most 20 s), so it catches up without a
// reload.

const EVERY_MS = 2_000;
const AT_MOST_MS = 20_000;

const waiting = (row: ClaimRow) => row.triageState === "never_tried" || row.triageState === "failed";

export function useResubmittedRefresh(rows: ClaimRow[]) {
  const router = useRouter();
  const [watch, setWatch] = useState<{ ids: Set<number> | null; until: number } | null>(null);

  useEffect(() => {
    if (!watch) return;
    const stillWaiting = rows.some((r) => (watch.ids === null || watch.ids.has(r.id)) && waiting(r));
    if (!stillWaiting || Date.now() > watch.until) {
      setWatch(null);
      return;
    }
    const timer = setTimeout(() => router.refresh(), EVERY_MS);
    return () => clearTimeout(timer);
  }, [watch, rows, router]);

  // ids: the claims picked by hand, or null for a selection made by filter.
  const refreshFor = useCallback(
    (ids: number[] | null) => {
      router.refresh();
      setWatch({ ids: ids ? new Set(ids) : null, until: Date.now() + AT_MOST_MS });
    },
    [router],
  );
  return { refreshFor };
}
