import Link from "next/link";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { BatchItemRecord, ItemCounts } from "@/db/queries/batches";
import type { BatchItemState } from "@/db/schema/enums";
import { formatDateTime, ITEM_STATE_COLOR, ITEM_STATE_LABEL, number } from "./labels";
import { hrefWith, Pager, type PageState } from "./pager";
import { RetryItemButton } from "./retry-item-button";

// The batch's items, a server-side page at a time; the state filter and page live in the URL.

const STATES: BatchItemState[] = ["pending", "in_progress", "submitted", "confirmed", "failed", "skipped", "cancelled"];

type Props = {
  batchId: number;
  rows: (BatchItemRecord & { veteran: string })[];
  counts: ItemCounts;
  state: BatchItemState | null;
  page: PageState;
  params: Record<string, string | string[] | undefined>;
  canRetry?: boolean; // a failed item can be retried from its row (triagers)
};

const CHIP_CURRENT = "border-primary-dark bg-primary-dark text-white";
const CHIP = "border-gray-500 text-ink hover:bg-gray-100";

export function BatchItemsTable({ batchId, rows, counts, state, page, params, canRetry = false }: Props) {
  const path = `/batches/${batchId}`;
  const total = state ? counts[state] : counts.total;
  const chip = (value: BatchItemState | null, label: string, n: number) => {
    const current = value === state;
    const tone = current ? CHIP_CURRENT : CHIP;
    return (
      <li key={value ?? "all"}>
        <Link
          href={hrefWith(path, params, { state: value, page: null })}
          aria-current={current ? "true" : undefined}
          className={`inline-block rounded-full border px-3 py-1 text-sm font-semibold ${tone}`}
        >
          {label} <span className="tabular-nums">({number.format(n)})</span>
        </Link>
      </li>
    );
  };
  return (
    <section aria-labelledby="items-heading" className="rounded border border-base-light bg-white p-4">
      <h2 id="items-heading" className="mb-3 text-lg font-bold">
        Items
      </h2>
      <nav aria-label="Filter items by state">
        <ul className="mb-3 flex flex-wrap gap-2">
          {chip(null, "All", counts.total)}
          {STATES.filter((s) => counts[s] > 0 || s === state).map((s) => chip(s, ITEM_STATE_LABEL[s], counts[s]))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p className="text-muted">
          {state ? `No ${ITEM_STATE_LABEL[state].toLowerCase()} items.` : "This batch has no items."}
        </p>
      ) : (
        <ScrollRegion label={`Items of batch ${batchId}`} className="overflow-x-auto">
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">
              Items of batch {batchId}
              {state ? `, ${ITEM_STATE_LABEL[state].toLowerCase()} only` : ""}
            </caption>
            <thead className="bg-gray-50">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Claim
                </th>
                <th scope="col" className="px-3 py-2">
                  Form
                </th>
                <th scope="col" className="px-3 py-2">
                  Veteran
                </th>
                <th scope="col" className="px-3 py-2">
                  Claim date
                </th>
                <th scope="col" className="px-3 py-2">
                  Item state
                </th>
                <th scope="col" className="px-3 py-2">
                  Attempt
                </th>
                <th scope="col" className="px-3 py-2">
                  Message
                </th>
                <th scope="col" className="px-3 py-2">
                  Note
                </th>
                <th scope="col" className="px-3 py-2">
                  Updated
                </th>
                {canRetry && (
                  <th scope="col" className="relative px-3 py-2">
                    {/* relative: the label is positioned here, not against the page (it widened it at 390 px) */}
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-base-light align-top">
                  <th scope="row" className="px-3 py-2 font-normal">
                    <Link href={`/claims/${r.claimId}`} className="font-semibold text-primary-dark underline">
                      #{r.claimId}
                    </Link>
                  </th>
                  <td className="whitespace-nowrap px-3 py-2">{r.formType}</td>
                  <td className="px-3 py-2">{r.veteran}</td>
                  <td className="whitespace-nowrap px-3 py-2">{r.submittedAt.toISOString().slice(0, 10)}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <span
                      aria-hidden="true"
                      className="mr-1.5 inline-block h-2.5 w-2.5 rounded-sm"
                      style={{ background: ITEM_STATE_COLOR[r.state] }}
                    />
                    {ITEM_STATE_LABEL[r.state]}
                  </td>
                  <td className="px-3 py-2">
                    {r.attemptStatus ?? "—"}
                    {r.benefitsIntakeUuid && (
                      <span className="block font-mono text-xs text-muted">{r.benefitsIntakeUuid}</span>
                    )}
                  </td>
                  <td className="max-w-xs px-3 py-2">{r.message ?? ""}</td>
                  <td className="max-w-xs px-3 py-2">{r.note ?? ""}</td>
                  <td className="whitespace-nowrap px-3 py-2">{formatDateTime(r.updatedAt)}</td>
                  {canRetry && (
                    <td className="px-3 py-2">{r.state === "failed" && <RetryItemButton claimId={r.claimId} />}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <Pager path={path} params={params} state={page} total={total} label="Items pages" />
    </section>
  );
}
