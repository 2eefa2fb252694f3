import Link from "next/link";
import { Suspense } from "react";
import { parsePageState } from "@/components/batches/pager";
import { hasRole } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { BatchesSection, BatchesSkeleton } from "./batches-section";

export const metadata = { title: "Batches" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function BatchesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser("viewer");
  const params = await searchParams;
  const page = parsePageState(params, [10, 25, 50], 25);
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
      <Suspense key={`${page.pageIndex}-${page.pageSize}`} fallback={<BatchesSkeleton />}>
        <BatchesSection params={params} page={page} user={user} />
      </Suspense>
    </>
  );
}
