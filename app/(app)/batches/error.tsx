"use client";

// A failed render of a batches page: say what happened and offer a retry, without a stack trace.
export default function BatchesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded border-l-4 border-error bg-red-50 p-4">
      <h1 className="mb-1 text-xl font-bold">This page could not be loaded</h1>
      <p className="mb-3">
        The server did not answer as expected. Nothing was changed.{error.digest ? ` (Reference ${error.digest})` : ""}
      </p>
      <button type="button" onClick={reset} className="rounded bg-primary px-4 py-2 font-semibold text-white">
        Try again
      </button>
    </div>
  );
}
