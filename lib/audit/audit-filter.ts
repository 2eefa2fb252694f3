import type { AuditFilter } from "@/db/queries/audit-log";
import { isStorableText } from "@/db/storable-text";
import { isCalendarDay } from "../calendar-day";
import { type SearchParamsInput, toUrlSearchParams } from "../table/search-params";

// The audit log's filter in the URL, read the same way by the page and the CSV export. Values that
// do not parse are dropped, so a hand-edited link never errors.
export function parseAuditFilter(input: SearchParamsInput): AuditFilter {
  const params = toUrlSearchParams(input);
  // A NUL byte cannot be a parameter in PostgreSQL: such a value is dropped like any other bad one.
  const one = (key: string) => {
    const v = params.get(key);
    return v && isStorableText(v) ? v.slice(0, 200) : undefined;
  };
  const date = (key: string) => {
    const v = one(key);
    return v && isCalendarDay(v) ? v : undefined;
  };
  return { action: one("action"), userEmail: one("user"), from: date("from"), to: date("to") };
}

export function auditFilterParams(filter: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.action) params.set("action", filter.action);
  if (filter.userEmail) params.set("user", filter.userEmail);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  return params;
}
