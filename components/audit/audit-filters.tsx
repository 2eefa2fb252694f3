import Link from "next/link";
import type { AuditFilter } from "@/db/queries/audit-log";
import { actionLabel } from "./labels";

const FORM_GRID =
  "mb-4 grid grid-cols-1 items-end gap-3 rounded border border-base-light bg-white p-4 sm:grid-cols-2 lg:grid-cols-5";
const CLEAR_LINK =
  "flex h-10 items-center rounded border-2 border-primary px-4 font-semibold text-primary-dark hover:bg-blue-50";

// A plain GET form: the filter lands in the URL, so it works without JavaScript and can be shared.
export function AuditFilters({ filter, actions, users }: { filter: AuditFilter; actions: string[]; users: string[] }) {
  const field = "mt-1 block h-10 w-full rounded border border-gray-500 bg-white px-2";
  return (
    <form method="get" action="/audit" className={FORM_GRID} aria-label="Filter the audit log">
      <div>
        <label htmlFor="audit-action" className="font-semibold">
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={filter.action ?? ""} className={field}>
          <option value="">Any action</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-user" className="font-semibold">
          Who
        </label>
        <select id="audit-user" name="user" defaultValue={filter.userEmail ?? ""} className={field}>
          <option value="">Anyone</option>
          {users.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-from" className="font-semibold">
          From (UTC)
        </label>
        <input id="audit-from" type="date" name="from" defaultValue={filter.from ?? ""} className={field} />
      </div>
      <div>
        <label htmlFor="audit-to" className="font-semibold">
          To (UTC, inclusive)
        </label>
        <input id="audit-to" type="date" name="to" defaultValue={filter.to ?? ""} className={field} />
      </div>
      <div className="flex gap-2">
        <button type="submit" className="h-10 rounded bg-primary px-4 font-semibold text-white hover:bg-primary-dark">
          Apply
        </button>
        <Link href="/audit" className={CLEAR_LINK}>
          Clear
        </Link>
      </div>
    </form>
  );
}
