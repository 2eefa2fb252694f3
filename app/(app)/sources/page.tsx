import {
  ConflictsTable,
  FilesWaitingTable,
  RefusalsTable,
  SourceSummaryTable,
} from "@/components/sources/sources-tables";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { loadSources } from "@/lib/ingest/sources";

export const metadata = { title: "Sources" };

// Admins only, checked here on the server (the nav only hides the link): how the systems of record
// are sending (docs/ingest.md).
export default async function SourcesPage() {
  await requirePageUser("admin");
  const { sources, refusals, waiting, conflicts } = await loadSources(getDb());
  return (
    <div className="space-y-8">
      <div>
        <h1 className="mb-1 text-3xl font-bold">Sources</h1>
        <p className="max-w-3xl text-muted">
          What the systems of record have sent through ingest: the last record from each, records by result over the
          last day and week, the records refused and why, evidence files claims are still waiting for, and claims the
          source shows resolved while a backup of ours was in flight.
        </p>
      </div>
      <section aria-labelledby="sources-heading" className="space-y-2">
        <h2 id="sources-heading" className="text-xl font-bold">
          Systems of record
        </h2>
        <SourceSummaryTable sources={sources} />
      </section>
      <section aria-labelledby="refused-heading" className="space-y-2">
        <h2 id="refused-heading" className="text-xl font-bold">
          Refused records{" "}
          <span className="text-base font-normal text-muted">({refusals.week.toLocaleString("en-US")} this week)</span>
        </h2>
        <p className="max-w-3xl text-sm text-muted">
          The latest 50, with every reason. Only the source's id for the record is kept, never its values.
        </p>
        <RefusalsTable refusals={refusals} />
      </section>
      <section aria-labelledby="waiting-heading" className="space-y-2">
        <h2 id="waiting-heading" className="text-xl font-bold">
          Files waiting
        </h2>
        <FilesWaitingTable waiting={waiting} />
      </section>
      <section aria-labelledby="conflicts-heading" className="space-y-2">
        <h2 id="conflicts-heading" className="text-xl font-bold">
          Conflicts{" "}
          <span className="text-base font-normal text-muted">({conflicts.total.toLocaleString("en-US")} open)</span>
        </h2>
        <p className="max-w-3xl text-sm text-muted">
          The source shows these claims resolved elsewhere while a backup of ours was queued or running. Check the
          claim's timeline and decide with the source whether our upload should stand.
        </p>
        <ConflictsTable conflicts={conflicts} />
      </section>
    </div>
  );
}
