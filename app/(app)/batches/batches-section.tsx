import { BatchesTable } from "@/components/batches/batches-table";
import { Pager, type PageState } from "@/components/batches/pager";
import { countBatches, getBatchesPage } from "@/db/queries/batches";
import { getDb } from "@/lib/db";

// One page of batches, loaded inside the page's Suspense.
export async function BatchesSection({
  params,
  page,
}: {
  params: Record<string, string | string[] | undefined>;
  page: PageState;
}) {
  const db = getDb();
  const [rows, total] = await Promise.all([getBatchesPage(db, page), countBatches(db)]);
  return (
    <>
      <BatchesTable rows={rows} />
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
