import { TableSkeleton } from "@/components/data-table/table-skeleton";

export default function ClaimsLoading() {
  return (
    <>
      <h1 className="mb-1 text-3xl font-bold">Claims</h1>
      <p className="mb-4 text-muted">Loading claims…</p>
      <div className="mb-4 h-40 animate-pulse rounded border border-base-light bg-white" />
      <TableSkeleton columns={9} label="Loading claims" />
    </>
  );
}
