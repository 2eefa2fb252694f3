import { recordAudit } from "@/db/queries/audit";
import { countAuditEvents, getAuditExportPage } from "@/db/queries/audit-log";
import { requestOrigin } from "@/lib/actions/define-action";
import { parseAuditFilter } from "@/lib/audit/audit-filter";
import { requireApiUser } from "@/lib/auth/session";
import { csvResponse } from "@/lib/csv";
import { getDb } from "@/lib/db";

// GET /api/audit/export?<the audit page's filter>: the matching events as CSV, streamed, newest
// first. Admins only, as the page; the export is itself recorded before the first row leaves.

const HEADER = [
  "at",
  "user_email",
  "user_name",
  "action",
  "claim_count",
  "claim_ids_sample",
  "batch_id",
  "reason",
  "details",
  "ip",
  "user_agent",
];
const PAGE_SIZE = 1_000;

export async function GET(request: Request) {
  const user = await requireApiUser("admin");
  if (user instanceof Response) return user;
  const filter = parseAuditFilter(new URL(request.url).searchParams);
  const db = getDb();
  const total = await countAuditEvents(db, filter);
  await recordAudit(db, {
    user,
    action: "audit.export",
    details: { filter, rows: total.count, countCapped: total.capped },
    ...(await requestOrigin()),
  });

  async function* pages() {
    let after: { cursor: string; id: number } | undefined;
    for (;;) {
      const page = await getAuditExportPage(db, { filter, after, limit: PAGE_SIZE });
      if (page.length === 0) return;
      yield page.map((e) => [
        e.at,
        e.userEmail,
        e.userName,
        e.action,
        e.claimCount,
        e.claimIds?.join(" ") ?? "",
        e.batchId,
        e.reason,
        e.details ? JSON.stringify(e.details) : "",
        e.ip,
        e.userAgent,
      ]);
      if (page.length < PAGE_SIZE) return;
      const last = page[page.length - 1];
      after = { cursor: last.cursor, id: Number(last.id) };
    }
  }
  const stamp = new Date().toISOString().slice(0, 10);
  return csvResponse(`audit-log-${stamp}.csv`, HEADER, pages());
}
