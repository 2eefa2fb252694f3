import "server-only";
import { getOverviewHeavy, type OverviewHeavy } from "@/db/queries/overview";
import { getDb } from "@/lib/db";
import { log } from "@/lib/log";

// The heavy overview figures (a scan of every claim and every attempt: seconds at 1,000,000 claims)
// are served from a per-process snapshot, stale-while-revalidate: a request older than MAX_AGE gets
// the previous figures at once and starts one refresh in the background. Only the very first
// request waits, and the page streams everything else meanwhile (Suspense). The lasting fix is a
// summary table written by the status poll job (proposed; needs a schema change).

export const SNAPSHOT_MAX_AGE_MS = 2 * 60_000;

type Entry = { value?: OverviewHeavy; at: number; pending?: Promise<OverviewHeavy> };
const holder = globalThis as unknown as { claimTriageOverview?: Entry };

export function getOverviewSnapshot(): Promise<OverviewHeavy> {
  const entry = (holder.claimTriageOverview ??= { at: 0 });
  const refresh = () =>
    (entry.pending ??= getOverviewHeavy(getDb())
      .then((value) => {
        entry.value = value;
        entry.at = Date.now();
        return value;
      })
      .finally(() => {
        entry.pending = undefined;
      }));
  if (!entry.value) return refresh();
  if (Date.now() - entry.at > SNAPSHOT_MAX_AGE_MS) {
    refresh().catch((e) => log.error({ err: e instanceof Error ? e.message : String(e) }, "overview snapshot refresh failed"));
  }
  return Promise.resolve(entry.value);
}
