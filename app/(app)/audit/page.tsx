import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { Pager, parsePageState } from "@/components/batches/pager";
import { countAuditEvents, getAuditActions, getAuditPage, getAuditUsers } from "@/db/queries/audit-log";
import { auditFilterParams, parseAuditFilter } from "@/lib/audit/audit-filter";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

export const metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageUser("admin");
  const params = await searchParams;
  const filter = parseAuditFilter(params);
  const filterQuery = auditFilterParams(filter).toString();
  const page = parsePageState(params, [25, 50, 100], 50);
  const db = getDb();
  const [rows, total, actions, users] = await Promise.all([
    getAuditPage(db, { filter, ...page }),
    countAuditEvents(db, filter),
    getAuditActions(db),
    getAuditUsers(db),
  ]);
  return (
    <>
      <h1 className="mb-1 text-3xl font-bold">Audit log</h1>
      <p className="mb-4 text-muted">
        Every resubmission, batch action, import, exclusion, export and PDF download: who, when, what and from where.
      </p>
      {/* Keyed by the filter: after Clear (or back/forward) the controls show the URL's values, not the old ones. */}
      <AuditFilters key={filterQuery} filter={filter} actions={actions} users={users} />
      <p className="mb-3">
        <a
          href={`/api/audit/export${filterQuery ? `?${filterQuery}` : ""}`}
          download
          className="inline-block rounded border border-primary bg-white px-3 py-2 text-sm font-semibold text-primary-dark hover:bg-blue-50"
        >
          Export these events (CSV)
        </a>
      </p>
      {total.capped && (
        <p className="mb-2 text-sm">
          More than {total.count.toLocaleString("en-US")} events match; narrow the filter to page through all of them.
        </p>
      )}
      <AuditTable rows={rows} />
      <Pager path="/audit" params={params} state={page} total={total.count} label="Audit log pages" />
    </>
  );
}
