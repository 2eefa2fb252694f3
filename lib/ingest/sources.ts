import "server-only";
import type { Db } from "@/db/client";
import { getOpenConflicts } from "@/db/queries/ingest-reconcile";
import { getFilesWaiting, getRecentRefusals, getSourceSummaries } from "@/db/queries/ingest-sources";

// The Sources page's data (admins): each system of record's last record and results over the day
// and week, refused records with their reasons (stored without the record's values), evidence files
// waiting, and conflicts for a person.

export const RESULTS = ["created", "updated", "unchanged", "refused"] as const;

export async function loadSources(db: Db) {
  const [sources, refusals, waiting, conflicts] = await Promise.all([
    getSourceSummaries(db),
    getRecentRefusals(db, 50),
    getFilesWaiting(db, 20),
    getOpenConflicts(db, 50),
  ]);
  return { sources, refusals, waiting, conflicts };
}

export type SourcesData = Awaited<ReturnType<typeof loadSources>>;
