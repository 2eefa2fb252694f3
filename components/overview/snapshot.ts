import "server-only";
import { getOverviewHeavy, OVERVIEW_REFRESH_SECONDS, type OverviewHeavy } from "@/db/queries/overview";
import { getDb } from "@/lib/db";

// The heavy overview figures, read from the materialized views the status poll job refreshes
// (db/queries/overview.ts): a few hundred rows, whatever the number of claims.
export const VIEWS_REFRESH_SECONDS = OVERVIEW_REFRESH_SECONDS;

export function getOverviewSnapshot(): Promise<OverviewHeavy> {
  return getOverviewHeavy(getDb());
}
