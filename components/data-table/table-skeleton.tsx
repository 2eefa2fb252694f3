// Shown while the first page of a server-side table loads; the same shape as the table so nothing jumps.
// Placeholders never reorder, so their position is their identity.
const keys = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

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
        {keys(columns, "h").map((key) => (
          <div key={key} className="h-4 flex-1 animate-pulse rounded bg-gray-300" />
        ))}
      </div>
      {keys(rows, "r").map((row) => (
        <div key={row} className="flex gap-4 border-b border-base-light px-3 py-3 last:border-0">
          {keys(columns, "c").map((key) => (
            <div key={key} className="h-4 flex-1 animate-pulse rounded bg-gray-200" />
          ))}
        </div>
      ))}
    </div>
  );
}
