import Link from "next/link";
import { BatchesTable } from "@/components/batches/batches-table";
import { Pager, parsePageState } from "@/components/batches/pager";
import { countBatches, getBatchesPage } from "@/db/queries/batches";
import { hasRole } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

export const metadata = { title: "Batches" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function BatchesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser("viewer");
  const params = await searchParams;
  const page = parsePageState(params, [10, 25, 50], 25);
  const db = getDb();
  const [rows, total] = await Promise.all([getBatchesPage(db, page), countBatches(db)]);
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold">Batches</h1>
          <p className="text-muted">Claims re-submitted through the backup flow in controlled batches, newest first.</p>
        </div>
        {hasRole(user, "admin") && (
          <Link
            href="/batches/import"
            className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark"
          >
            Import a retry list
          </Link>
        )}
      </div>
      <BatchesTable rows={rows} />
      <Pager path="/batches" params={params} state={page} total={total} label="Batches pages" />
    </>
  );
}
