import Link from "next/link";
import { formatDateTime, number } from "@/components/batches/labels";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { AuditRow } from "@/db/queries/audit-log";
import { countOf } from "@/lib/plural";
import { describeAction, isRefusal } from "./labels";

const REFUSED_TAG =
  "mr-1 inline-block rounded border border-red-700 bg-red-50 px-1.5 text-xs font-semibold text-red-900";

// One row an event. Details are summarised (state changes, counts, file names); claim ids shown are
// the first few of the stored sample.

function detailText(details: Record<string, unknown> | null): string {
  if (!details) return "";
  const parts: string[] = [];
  if (details.from !== undefined && details.to !== undefined)
    parts.push(`${String(details.from)} → ${String(details.to)}`);
  if (typeof details.fileName === "string") parts.push(`file ${details.fileName}`);
  if (typeof details.rows === "number") parts.push(`${number.format(details.rows)} rows`);
  if (typeof details.name === "string") parts.push(`“${details.name}”`);
  if (typeof details.source === "string") parts.push(`from ${details.source}`);
  if (typeof details.itemsCancelled === "number") parts.push(`${countOf(details.itemsCancelled, "item")} withdrawn`);
  if (details.piiMasked === true) parts.push("PII masked");
  // A refusal: what was asked, and why it was turned down.
  if (typeof details.action === "string" && typeof details.need === "string")
    parts.push(`${details.action} needs the ${details.need} role; the user is a ${String(details.role)}`);
  if (typeof details.skipped === "string") parts.push(`not started: ${details.skipped.replaceAll("_", " ")}`);
  return parts.join(" · ");
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  if (rows.length === 0) {
    return <p className="rounded border border-base-light bg-white p-6">No audit events match this filter.</p>;
  }
  return (
    <ScrollRegion label="Audit events" className="overflow-x-auto rounded border border-base-light bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-gray-50">
          <tr>
            <th scope="col" className="px-3 py-2">
              When
            </th>
            <th scope="col" className="px-3 py-2">
              Who
            </th>
            <th scope="col" className="px-3 py-2">
              What
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Claims
            </th>
            <th scope="col" className="px-3 py-2">
              Batch
            </th>
            <th scope="col" className="px-3 py-2">
              Reason
            </th>
            <th scope="col" className="px-3 py-2">
              From
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const details = detailText(r.details);
            return (
              <tr key={r.id} className="border-t border-base-light align-top">
                <th scope="row" className="whitespace-nowrap px-3 py-2 font-normal">
                  {formatDateTime(r.at)}
                </th>
                <td className="px-3 py-2">
                  {r.userName ?? r.userEmail}
                  {r.userName && <span className="block text-xs text-muted">{r.userEmail}</span>}
                </td>
                <td className="px-3 py-2">
                  {isRefusal(r.action) && <span className={REFUSED_TAG}>Refused</span>}
                  <span className="font-semibold">{describeAction(r.action, r.details)}</span>
                  <span className="block font-mono text-xs text-muted">{r.action}</span>
                  {details && <span className="block text-xs">{details}</span>}
                  {r.zipFiles && (
                    <ul className="mt-1 list-inside list-disc text-xs" aria-label="Files in the zip">
                      {r.zipFiles.map((file) => (
                        <li key={file.id} className="break-all">
                          {file.name}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {number.format(r.claimCount)}
                  {r.claimIds && r.claimIds.length > 0 && (
                    <span className="block text-xs">
                      {r.claimIds.map((id, i) => (
                        <span key={id}>
                          {i > 0 && ", "}
                          <Link href={`/claims/${id}`} className="text-primary-dark underline">
                            #{id}
                          </Link>
                        </span>
                      ))}
                      {r.claimCount > r.claimIds.length ? ", …" : ""}
                    </span>
                  )}
                </td>
                <td className="px-3 py-2">
                  {r.batchId ? (
                    <Link href={`/batches/${r.batchId}`} className="text-primary-dark underline">
                      #{r.batchId}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="max-w-xs px-3 py-2">{r.reason ?? ""}</td>
                <td className="px-3 py-2">
                  <span className="font-mono text-xs">{r.ip ?? "unknown"}</span>
                  {r.userAgent && (
                    <span className="block max-w-48 truncate text-xs text-muted" title={r.userAgent}>
                      {r.userAgent}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
