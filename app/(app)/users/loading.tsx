export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading the users…</span>
      <div className="mb-4 h-9 w-48 rounded bg-gray-300" />
      <div className="h-64 rounded bg-white" />
    </div>
  );
}
