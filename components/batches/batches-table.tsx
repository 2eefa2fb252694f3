import Link from "next/link";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { BatchRecord, ItemCounts } from "@/db/queries/batches";
import type { BatchItemState } from "@/db/schema/enums";
import { batchPhase } from "@/lib/batches/batch-phase";
import { BatchStateBadge } from "./batch-state-badge";
import { ItemCountsBar } from "./item-counts-bar";
import { formatDateTime, ITEM_STATE_LABEL, number, SOURCE_LABEL } from "./labels";

type Row = BatchRecord & { counts: ItemCounts };

const SHOWN: BatchItemState[] = ["pending", "in_progress", "submitted", "confirmed", "failed", "skipped", "cancelled"];

const HISTORICAL_TAG =
  "mt-1 inline-block rounded border border-gray-500 bg-gray-100 px-1.5 text-xs font-semibold text-gray-800";

export function BatchesTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) {
    return (
      <div className="rounded border border-base-light bg-white p-6">
        <p className="font-semibold">No batches yet.</p>
        <p className="text-muted">
          Create one from the claims list (select claims, then Resubmit), or import a reviewed retry list.
        </p>
      </div>
    );
  }
  return (
    <ScrollRegion label="Batches" className="overflow-x-auto rounded border border-base-light bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Batches, newest first, with their items by state</caption>
        <thead className="bg-gray-50">
          <tr>
            <th scope="col" className="px-3 py-2">
              Batch
            </th>
            <th scope="col" className="px-3 py-2">
              Source
            </th>
            <th scope="col" className="px-3 py-2">
              Created by
            </th>
            <th scope="col" className="px-3 py-2">
              Created
            </th>
            <th scope="col" className="px-3 py-2">
              State
            </th>
            <th scope="col" className="px-3 py-2">
              Items by state
            </th>
            <th scope="col" className="w-56 px-3 py-2">
              Progress
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b.id} className="border-t border-base-light align-top">
              <th scope="row" className="px-3 py-2 font-normal">
                <Link href={`/batches/${b.id}`} className="font-semibold text-primary-dark underline">
                  {b.name}
                </Link>
                <span className="block text-muted">#{b.id}</span>
                {b.historical === 1 && <span className={HISTORICAL_TAG}>Historical console batch</span>}
              </th>
              <td className="px-3 py-2">{SOURCE_LABEL[b.source]}</td>
              <td className="px-3 py-2">{b.createdByName ?? "—"}</td>
              <td className="whitespace-nowrap px-3 py-2">{formatDateTime(b.createdAt)}</td>
              <td className="px-3 py-2">
                <BatchStateBadge phase={batchPhase(b.state, b.counts)} />
              </td>
              <td className="px-3 py-2">
                <ul className="grid grid-cols-2 gap-x-3 text-xs">
                  {SHOWN.filter((s) => b.counts[s] > 0).map((s) => (
                    <li key={s}>
                      {ITEM_STATE_LABEL[s]}:{" "}
                      <span className="font-semibold tabular-nums">{number.format(b.counts[s])}</span>
                    </li>
                  ))}
                  {b.counts.total === 0 && <li>No items</li>}
                </ul>
              </td>
              <td className="px-3 py-2">
                <ItemCountsBar counts={b.counts} label={`Progress of batch ${b.id}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
