import { SnapshotCharts, SnapshotKpis } from "@/components/overview/overview-figures";
import { getOverviewHeavy, OVERVIEW_REFRESH_SECONDS } from "@/db/queries/overview";
import { getDb } from "@/lib/db";

// The heavy overview figures, read from the materialized views the status poll job refreshes: a few
// hundred rows whatever the number of claims. Each section loads inside its own Suspense boundary.

export async function SnapshotKpisSection() {
  return <SnapshotKpis heavy={await getOverviewHeavy(getDb())} />;
}

export async function SnapshotChartsSection() {
  return <SnapshotCharts heavy={await getOverviewHeavy(getDb())} refreshSeconds={OVERVIEW_REFRESH_SECONDS} />;
}
