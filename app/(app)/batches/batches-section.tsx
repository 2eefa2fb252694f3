import { BatchesTable } from "@/components/batches/batches-table";
import { Pager, type PageState } from "@/components/batches/pager";
import { countBatches, getBatchesPage } from "@/db/queries/batches";
import type { SessionUser } from "@/lib/auth/roles";
import { getDb } from "@/lib/db";
import { maskBatch } from "@/lib/pii";

// One page of batches, loaded inside the page's Suspense.
export async function BatchesSection({
  params,
  page,
  user,
}: {
  params: Record<string, string | string[] | undefined>;
  page: PageState;
  user: SessionUser;
}) {
  const db = getDb();
  const [rows, total] = await Promise.all([getBatchesPage(db, page), countBatches(db)]);
  return (
    <>
      <BatchesTable rows={rows.map((row) => maskBatch(user, row))} />
      <Pager path="/batches" params={params} state={page} total={total} label="Batches pages" />
    </>
  );
}

export function BatchesSkeleton() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading batches…</span>
      <div className="h-64 rounded bg-white" />
    </div>
  );
}
