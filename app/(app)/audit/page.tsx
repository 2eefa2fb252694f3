import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { Pager, parsePageState } from "@/components/batches/pager";
import {
  type AuditFilter,
  countAuditEvents,
  getAuditActions,
  getAuditPage,
  getAuditUsers,
} from "@/db/queries/audit-log";
import { isStorableText } from "@/db/storable-text";
import { requirePageUser } from "@/lib/auth/session";
import { isCalendarDay } from "@/lib/calendar-day";
import { getDb } from "@/lib/db";

export const metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

// Values that do not parse are dropped, so a hand-edited link never errors.
function parseFilter(p: SearchParams): AuditFilter {
  // A NUL byte cannot be a parameter in PostgreSQL: such a value is dropped like any other bad one.
  const one = (k: string) => {
    const v = p[k];
    return typeof v === "string" && v && isStorableText(v) ? v.slice(0, 200) : undefined;
  };
  const date = (k: string) => {
    const v = one(k);
    return v && isCalendarDay(v) ? v : undefined;
  };
  return { action: one("action"), userEmail: one("user"), from: date("from"), to: date("to") };
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageUser("admin");
  const params = await searchParams;
  const filter = parseFilter(params);
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
      <AuditFilters filter={filter} actions={actions} users={users} />
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
