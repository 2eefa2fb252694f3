import { formatDateTime } from "@/components/batches/labels";
import type { OutstandingPoint, OverviewHeavy } from "@/db/queries/overview";
import { ChartFigure } from "./chart-figure";
import { AttemptsPerDayChart, BurnDownChart, FailureReasonsChart, OutcomeByFormChart, VbmsTimeChart } from "./charts";
import { KpiCard, KpiSkeleton } from "./kpi-cards";
import { shapeAttempts, shapeBurnDown, shapeOutcomes, shapeReasons, shapeVbms } from "./shape";

// The overview's figures, drawn from data the page loads. The burn-down is live; the snapshot
// figures come from the materialized views (app/(app)/snapshot-sections.tsx loads them inside
// Suspense, so the live figures are on screen first).

const today = () => new Date().toISOString().slice(0, 10);

export function BurnDownFigure({ history, outstandingNow }: { history: OutstandingPoint[]; outstandingNow: number }) {
  const shaped = shapeBurnDown(history, today(), outstandingNow);
  return (
    <ChartFigure
      title="Burn-down of outstanding claims"
      summary={shaped.summary}
      className="lg:col-span-2"
      table={{
        caption: "Outstanding claims (never tried or failed) at the end of each day",
        columns: ["Day (UTC)", "Outstanding"],
        rows: shaped.rows,
        numeric: [false, true],
      }}
    >
      <BurnDownChart data={shaped.data} />
    </ChartFigure>
  );
}

export function SnapshotKpis({ heavy }: { heavy: OverviewHeavy }) {
  const resubmitted = heavy.outcomes.reduce((n, r) => n + r.resubmitted, 0);
  const confirmed = heavy.outcomes.filter((r) => r.triageState === "confirmed").reduce((n, r) => n + r.claims, 0);
  const asOf = `As of ${formatDateTime(heavy.computedAt)}.`;
  return (
    <>
      <KpiCard
        kpi={{
          id: "resubmitted",
          label: "Resubmitted",
          value: resubmitted,
          hint: `Claims uploaded through the backup flow at least once. ${asOf}`,
        }}
      />
      <KpiCard
        kpi={{
          id: "confirmed",
          label: "Confirmed in VBMS",
          value: confirmed,
          hint: `Claims in the veteran's eFolder. ${asOf}`,
        }}
      />
    </>
  );
}

export function SnapshotKpisFallback() {
  return (
    <>
      <KpiSkeleton label="Resubmitted" />
      <KpiSkeleton label="Confirmed in VBMS" />
    </>
  );
}

export function SnapshotCharts({ heavy, refreshSeconds }: { heavy: OverviewHeavy; refreshSeconds: number }) {
  const attempts = shapeAttempts(heavy.attemptsPerDay, today());
  const outcomes = shapeOutcomes(heavy.outcomes);
  const reasons = shapeReasons(heavy.failureReasons);
  const vbms = shapeVbms(heavy.vbmsHistogram);
  const numeric = (n: number) => [false, ...Array.from({ length: n - 1 }, () => true)];
  return (
    <>
      <ChartFigure
        title="Backup attempts per day, by outcome"
        summary={attempts.summary}
        className="lg:col-span-2"
        empty={attempts.rows.length ? undefined : "No attempts in the last 60 days."}
        table={{
          caption: "Backup attempts per day (UTC) by their status now, last 60 days",
          columns: attempts.columns,
          rows: attempts.rows,
          numeric: numeric(attempts.columns.length),
        }}
      >
        <AttemptsPerDayChart data={attempts.data} statuses={attempts.statuses} />
      </ChartFigure>
      <ChartFigure
        title="Outcome by form type"
        summary={outcomes.summary}
        table={{
          caption: "Claims by form type and triage state",
          columns: outcomes.columns,
          rows: outcomes.rows,
          numeric: numeric(outcomes.columns.length),
        }}
      >
        <OutcomeByFormChart data={outcomes.data} states={outcomes.states} />
      </ChartFigure>
      <ChartFigure
        title="Time from upload to VBMS"
        summary={vbms.summary}
        empty={vbms.rows.some((r) => Number(r[1]) > 0) ? undefined : "No upload has reached VBMS yet."}
        table={{
          caption: "Uploads that reached VBMS, by time from upload to VBMS",
          columns: ["Time to VBMS", "Uploads"],
          rows: vbms.rows,
          numeric: [false, true],
        }}
      >
        <VbmsTimeChart data={vbms.data} />
      </ChartFigure>
      <ChartFigure
        title="Top failure reasons of outstanding claims"
        summary={reasons.summary}
        className="lg:col-span-2"
        empty={reasons.data.length ? undefined : "No outstanding claims."}
        table={{
          caption: "Primary-path failure reasons of claims never tried or failed",
          columns: ["Failure reason", "Claims"],
          rows: reasons.rows,
          numeric: [false, true],
        }}
      >
        <FailureReasonsChart data={reasons.data} />
      </ChartFigure>
      <p className="text-sm text-muted lg:col-span-2">
        Charts as of {formatDateTime(heavy.computedAt)}; the figures behind them are refreshed with each status poll of
        the worker (at most every {refreshSeconds} seconds). The key figures above marked live are read on every visit.
      </p>
    </>
  );
}

export function SnapshotChartsFallback() {
  return (
    <div role="status" className="rounded border border-base-light bg-white p-6 lg:col-span-2">
      <p className="font-semibold">Computing the charts over every claim and attempt…</p>
      <div className="mt-3 h-64 animate-pulse rounded bg-gray-100" />
    </div>
  );
}
