"use client";

import Link from "next/link";
import { useEffect } from "react";

// The list or a claim could not be loaded (the database was unreachable, a query timed out…).
export default function ClaimsError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && "digest" in error ? String((error as { digest?: string }).digest ?? "") : "";
  return (
    <div role="alert" className="max-w-2xl rounded border-l-4 border-error bg-white p-6 shadow">
      <h1 className="mb-2 text-2xl font-bold">The claims could not be loaded</h1>
      <p className="mb-4">
        Nothing was changed. Try again; if it keeps failing, tell the on-call engineer
        {digest ? (
          <>
            {" "}
            and quote <code className="rounded bg-gray-100 px-1">{digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="flex gap-4">
        <button
          type="button"
          onClick={() => retry()}
          className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark"
        >
          Try again
        </button>
        <Link href="/claims" className="self-center font-semibold text-primary-dark underline">
          Back to all claims
        </Link>
      </div>
    </div>
  );
}
