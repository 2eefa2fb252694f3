// Shown while the first page of a server-side table loads; the same shape as the table so nothing jumps.
export function TableSkeleton({
  columns = 8,
  rows = 10,
  label = "Loading rows",
}: {
  columns?: number;
  rows?: number;
  label?: string;
}) {
  return (
    <div role="status" aria-live="polite" className="overflow-hidden rounded border border-base-light bg-white">
      <span className="sr-only">{label}…</span>
      <div className="flex gap-4 border-b border-base-light bg-gray-50 px-3 py-3">
        {Array.from({ length: columns }, (_, i) => (
          <div key={i} className="h-4 flex-1 animate-pulse rounded bg-gray-300" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex gap-4 border-b border-base-light px-3 py-3 last:border-0">
          {Array.from({ length: columns }, (_, i) => (
            <div key={i} className="h-4 flex-1 animate-pulse rounded bg-gray-200" />
          ))}
        </div>
      ))}
    </div>
  );
}
