import { Suspense } from "react";
import { KpiCard } from "@/components/overview/kpi-cards";
import { BurnDownFigure, SnapshotChartsFallback, SnapshotKpisFallback } from "@/components/overview/overview-figures";
import { getLiveKpis, getOutstandingHistory } from "@/db/queries/overview";
import { requirePageUser } from "@/lib/auth/session";
import { OVERVIEW_CLAIMS_LINKS } from "@/lib/claims/overview-links";
import { getDb } from "@/lib/db";
import { SnapshotChartsSection, SnapshotKpisSection } from "./snapshot-sections";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requirePageUser("viewer");
  const db = getDb();
  const [live, history] = await Promise.all([getLiveKpis(db), getOutstandingHistory(db)]);
  const silent = live.silentFailures;
  return (
    <>
      <h1 className="mb-1 text-3xl font-bold">Overview</h1>
      <p className="mb-4 text-muted">Where the black hole stands, and whether any failure is going unnoticed.</p>
      <section aria-labelledby="kpi-heading" className="mb-6">
        <h2 id="kpi-heading" className="sr-only">
          Key figures
        </h2>
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-5">
          <KpiCard
            kpi={{
              id: "silent",
              label: "Silent failures",
              value: silent,
              hint:
                silent === 0
                  ? "None: every failed claim's veteran has been told, or a backup is working on it. Live."
                  : "Failed claims whose veteran was never told and that nothing is working on. Must be 0. Live.",
              alarm: silent > 0,
              ok: silent === 0,
              href: silent > 0 ? OVERVIEW_CLAIMS_LINKS.silentFailures : undefined,
              linkText: "See these claims",
            }}
          />
          <KpiCard
            kpi={{
              id: "black-hole",
              label: "Outstanding black-hole claims",
              value: live.outstandingBlackHole,
              hint: "Shown as a success, never told, not yet re-submitted. Live.",
              href: OVERVIEW_CLAIMS_LINKS.outstandingBlackHole,
            }}
          />
          <KpiCard
            kpi={{
              id: "failed",
              label: "Failed, needs a person",
              value: live.failed,
              hint: "Backup failed for good, or Benefits Intake returned an error. Live.",
              href: OVERVIEW_CLAIMS_LINKS.failed,
            }}
          />
          <Suspense fallback={<SnapshotKpisFallback />}>
            <SnapshotKpisSection />
          </Suspense>
        </dl>
      </section>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <BurnDownFigure history={history} outstandingNow={live.outstanding} />
        <Suspense fallback={<SnapshotChartsFallback />}>
          <SnapshotChartsSection />
        </Suspense>
      </div>
    </>
  );
}
