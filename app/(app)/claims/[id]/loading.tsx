export default function ClaimLoading() {
  return (
    <div role="status" className="space-y-4">
      <span className="sr-only">Loading the claim…</span>
      <div className="h-9 w-64 animate-pulse rounded bg-gray-300" />
      <div className="grid gap-4 xl:grid-cols-2">
        <div className="h-96 animate-pulse rounded border border-base-light bg-white" />
        <div className="h-96 animate-pulse rounded border border-base-light bg-white" />
      </div>
      <div className="h-64 animate-pulse rounded border border-base-light bg-white" />
    </div>
  );
}
