import Link from "next/link";
import { formatDateTime } from "@/components/claims/format";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { FailureGroupRow } from "@/db/queries/failure-groups";
import { countOf } from "@/lib/plural";
import { GroupStatusBadge } from "./group-status-badge";
import { Sparkline } from "./sparkline";

const number = new Intl.NumberFormat("en-US");

export function trendLabel(trend: number[]) {
  return `${countOf(
    trend.reduce((a, b) => a + b, 0),
    "failure",
  )} in the last ${trend.length} days`;
}

export function GroupsTable({ rows }: { rows: FailureGroupRow[] }) {
  if (rows.length === 0) {
    return <p className="rounded border border-base-light bg-white p-6">No claim has a recorded failure reason.</p>;
  }
  return (
    <ScrollRegion label="Failure groups" className="overflow-x-auto rounded border border-base-light bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Failure groups, largest first</caption>
        <thead className="bg-gray-50">
          <tr>
            <th scope="col" className="px-3 py-2">
              Failure reason
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Claims
            </th>
            <th scope="col" className="px-3 py-2">
              First seen
            </th>
            <th scope="col" className="px-3 py-2">
              Last seen
            </th>
            <th scope="col" className="px-3 py-2">
              Last 30 days
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2">
              Owner
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key} className="border-t border-base-light align-top" data-testid="group-row">
              <th scope="row" className="max-w-md px-3 py-2 font-normal">
                <Link href={`/groups/${g.key}`} className="break-words font-semibold text-primary-dark underline">
                  {g.fingerprint}
                </Link>
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{number.format(g.claims)}</td>
              <td className="whitespace-nowrap px-3 py-2">{formatDateTime(g.firstSeen)}</td>
              <td className="whitespace-nowrap px-3 py-2">{formatDateTime(g.lastSeen)}</td>
              <td className="px-3 py-2">
                <Sparkline values={g.trend} label={trendLabel(g.trend)} />
              </td>
              <td className="px-3 py-2">
                <GroupStatusBadge
                  status={g.status}
                  ignoreUntilAt={g.ignoreUntilAt}
                  ignoreUntilCount={g.ignoreUntilCount}
                  reopened={g.reopenedAt !== null}
                />
              </td>
              <td className="px-3 py-2">{g.ownerName ?? <span className="text-muted">Nobody</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
