import Link from "next/link";
import { RetryListImport } from "@/components/batches/import-retry-list";
import { requirePageUser } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";

export const metadata = { title: "Import a retry list" };

export default async function ImportRetryListPage() {
  await requirePageUser("admin");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/batches" className="text-primary-dark underline">
          ← All batches
        </Link>
      </p>
      <h1 className="mb-1 text-3xl font-bold">Import a reviewed retry list</h1>
      <p className="mb-4 max-w-3xl text-muted">
        Upload the master retry list the VA reviewed. Every row is checked and reported: unknown ids, duplicates, claims
        already confirmed or excluded, and 674s (sent with their 686c). Only after you have read the report is a draft
        batch created.
      </p>
      <RetryListImport defaultRate={getEnv().BATCH_DEFAULT_RATE_PER_MINUTE} />
    </>
  );
}
