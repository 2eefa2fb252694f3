import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { BatchControls } from "@/components/batches/batch-controls";
import { BatchItemsTable } from "@/components/batches/batch-items-table";
import { BatchProgressPanel } from "@/components/batches/batch-progress";
import { BatchSummary } from "@/components/batches/batch-summary";
import { parsePageState } from "@/components/batches/pager";
import { RetryFailedButton } from "@/components/batches/retry-failed-button";
import { ThroughputChart } from "@/components/batches/throughput-chart";
import { getBatchThroughput } from "@/db/queries/batch-throughput";
import { getBatch, getBatchItemsPage } from "@/db/queries/batches";
import type { ClaimsFilter } from "@/db/queries/claims-list";
import { type BatchItemState, batchItemStateEnum } from "@/db/schema/enums";
import { hasRole } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/session";
import { getBatchProgress } from "@/lib/batches/progress";
import { describeFilter } from "@/lib/claims/describe-filter";
import { getDb } from "@/lib/db";
import { maskBatch, maskBatchItem, veteranLabel } from "@/lib/pii";
import { parseUrlId } from "@/lib/url-id";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

// Asked by the title and the page alike, once per request.
const loadBatch = cache((batchId: number) => getBatch(getDb(), batchId));

export async function generateMetadata({ params }: Props) {
  const batchId = parseUrlId((await params).id);
  const batch = batchId ? await loadBatch(batchId) : null;
  return { title: batch ? `Batch #${batch.id}` : "Batch not found" };
}

function parseState(raw: unknown): BatchItemState | null {
  return typeof raw === "string" && (batchItemStateEnum.enumValues as readonly string[]).includes(raw)
    ? (raw as BatchItemState)
    : null;
}

export default async function BatchPage({ params, searchParams }: Props) {
  const user = await requirePageUser("viewer");
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const batchId = parseUrlId(id);
  // Before anything streams (no loading.tsx above this page), so a missing batch is a real 404.
  const batch = batchId ? await loadBatch(batchId) : null;
  if (!batchId || !batch) notFound();
  const db = getDb();
  const state = parseState(query.state);
  const page = parsePageState(query, [25, 50, 100], 25);
  const [progress, items, throughput] = await Promise.all([
    getBatchProgress(db, batchId),
    getBatchItemsPage(db, { batchId, states: state ? [state] : undefined, ...page }),
    getBatchThroughput(db, batchId),
  ]);
  if (!progress) notFound();

  // Masked before anything is handed down: what a viewer's page gets is what a viewer may see.
  const rows = items.map((r) => ({
    ...maskBatchItem(user, r),
    veteran: veteranLabel(user, { firstName: r.veteranFirstName, lastName: r.veteranLastName }),
  }));
  const filterText = batch.filter ? describeFilter(batch.filter as ClaimsFilter) : null;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/batches" className="text-primary-dark underline">
          ← All batches
        </Link>
      </p>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold">{batch.name}</h1>
          <p className="text-muted">
            Batch #{batch.id}
            {batch.historical === 1 ? " · historical console batch, re-submitted before this tool" : ""}
          </p>
        </div>
        <a
          href={`/api/batches/${batch.id}/export`}
          className="rounded border-2 border-primary px-4 py-2 font-semibold text-primary-dark hover:bg-blue-50"
          download
        >
          Export items (CSV)
        </a>
      </div>
      <div className="space-y-4">
        <BatchSummary batch={maskBatch(user, batch)} filterText={filterText} progress={progress} />
        <BatchControls
          batchId={batch.id}
          state={progress.state}
          ratePerMinute={progress.ratePerMinute}
          pending={progress.counts.pending}
          inProgress={progress.counts.in_progress}
          total={progress.counts.total}
          canAct={hasRole(user, "triager") && batch.historical !== 1}
          canCancel={hasRole(user, "admin")}
        />
        <BatchProgressPanel initial={progress} />
        {hasRole(user, "triager") && <RetryFailedButton batchId={batch.id} failed={progress.counts.failed} />}
        <ThroughputChart data={throughput} />
        <BatchItemsTable
          batchId={batch.id}
          rows={rows}
          counts={progress.counts}
          state={state}
          page={page}
          params={query}
          canRetry={hasRole(user, "triager")}
        />
      </div>
    </>
  );
}
