"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { BatchItemState } from "@/db/schema/enums";
import { unsettledCount } from "@/lib/batches/batch-phase";
import type { BatchProgress } from "@/lib/batches/progress";
import { BatchStateBadge } from "./batch-state-badge";
import { ItemCountsBar } from "./item-counts-bar";
import {
  BATCH_PHASE_LABEL,
  formatDateTime,
  formatDuration,
  ITEM_STATE_COLOR,
  ITEM_STATE_LABEL,
  number,
} from "./labels";

// Live progress: polls the progress route every 2 s while the batch can still change, and asks the
// server page to re-render (controls, items) when the batch's state changes.

const POLL_MS = 2_000;
// All sent: the end states come from Benefits Intake's status poll, minutes or hours apart.
const SENT_POLL_MS = 15_000;
const STATES: BatchItemState[] = ["pending", "in_progress", "submitted", "confirmed", "failed", "skipped", "cancelled"];

function isLive(p: BatchProgress) {
  return p.state === "queued" || p.state === "running" || p.state === "paused" || p.counts.in_progress > 0;
}

function freshness(p: BatchProgress, live: boolean, stale: boolean) {
  if (stale) return "Live updates paused: the server did not answer; retrying…";
  if (live) return "Updates every 2 seconds";
  if (p.phase === "sent") return "Every claim is sent; updates every 15 seconds until each has its end state";
  if (p.phase === "draft") return "Not started: nothing has been sent";
  return p.final ? "Final figures" : "Figures so far";
}

export function BatchProgressPanel({ initial }: { initial: BatchProgress }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
  const [stale, setStale] = useState(false);
  const lastState = useRef(initial.state);

  // A new server render (after an action) brings fresh figures.
  useEffect(() => {
    setProgress(initial);
    lastState.current = initial.state;
  }, [initial]);

  const live = isLive(progress);
  const pollMs = live ? POLL_MS : progress.phase === "sent" ? SENT_POLL_MS : null;
  const lastPhase = useRef(initial.phase);
  useEffect(() => {
    lastPhase.current = initial.phase;
  }, [initial.phase]);
  useEffect(() => {
    if (pollMs === null) return;
    let cancelled = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/batches/${initial.batchId}/progress`, { cache: "no-store" });
        if (!response.ok) throw new Error(String(response.status));
        const next = (await response.json()) as BatchProgress;
        if (cancelled) return;
        setStale(false);
        setProgress(next);
        if (next.state !== lastState.current || next.phase !== lastPhase.current) {
          lastState.current = next.state;
          lastPhase.current = next.phase;
          router.refresh();
        }
      } catch {
        if (!cancelled) setStale(true);
      }
    }, pollMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [pollMs, initial.batchId, router]);

  const { counts } = progress;
  return (
    <section
      aria-labelledby="progress-heading"
      className="rounded border border-base-light bg-white p-4"
      data-testid="batch-progress"
    >
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="progress-heading" className="text-lg font-bold">
          Progress
        </h2>
        <p className="text-sm text-muted" data-testid="progress-freshness">
          {freshness(progress, live, stale)} · as of {formatDateTime(progress.asOf)}
        </p>
      </div>
      <p className="sr-only" role="status">
        Batch: {BATCH_PHASE_LABEL[progress.phase].toLowerCase()}.
      </p>
      <div className="mb-3 flex items-center gap-3">
        <BatchStateBadge phase={progress.phase} />
        <div className="flex-1">
          <ItemCountsBar counts={counts} label="Batch progress" />
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        {STATES.map((s) => (
          <div key={s} className="rounded border border-base-light p-2">
            <dt className="flex items-center gap-1.5 text-sm">
              <span
                aria-hidden="true"
                className="inline-block h-3 w-3 rounded-sm"
                style={{ background: ITEM_STATE_COLOR[s] }}
              />
              {ITEM_STATE_LABEL[s]}
            </dt>
            <dd className="text-2xl font-bold tabular-nums" data-testid={`count-${s}`}>
              {number.format(counts[s])}
            </dd>
          </div>
        ))}
      </dl>
      <dl className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-3">
        <div>
          <dt className="text-sm text-muted">Throughput (last 5 minutes)</dt>
          <dd className="text-lg font-semibold" data-testid="throughput">
            {progress.throughputPerMinute !== null
              ? `${number.format(progress.throughputPerMinute)} claims/min`
              : live
                ? "not enough data yet"
                : "—"}
          </dd>
        </div>
        <div>
          <dt className="text-sm text-muted">Rate limit</dt>
          <dd className="text-lg font-semibold">{number.format(progress.ratePerMinute)} claims/min</dd>
        </div>
        <div>
          <dt className="text-sm text-muted">Estimated time left</dt>
          <dd className="text-lg font-semibold" data-testid="eta">
            {progress.state === "paused"
              ? "paused"
              : progress.phase === "sent"
                ? `all sent; ${number.format(unsettledCount(counts))} awaiting an end state`
                : formatDuration(progress.etaSeconds)}
          </dd>
        </div>
      </dl>
      <h3 className="mt-4 font-bold">Recent failures and skips</h3>
      {progress.recentFailures.length === 0 ? (
        <p className="text-sm text-muted">None so far.</p>
      ) : (
        <ul className="mt-1 divide-y divide-base-light text-sm">
          {progress.recentFailures.map((f) => (
            <li key={f.id} className="py-1.5">
              <Link href={`/claims/${f.claimId}`} className="font-semibold text-primary-dark underline">
                Claim #{f.claimId}
              </Link>{" "}
              <span className="font-semibold">{ITEM_STATE_LABEL[f.state as BatchItemState] ?? f.state}</span>:{" "}
              {f.message ?? "no message recorded"} <span className="text-muted">({formatDateTime(f.updatedAt)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
