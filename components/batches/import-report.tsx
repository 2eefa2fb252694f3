import Link from "next/link";
import { ScrollRegion } from "@/components/ui/scroll-region";
import type { ImportReport, ReportRow } from "@/lib/batches/import-retry-list";
import { ROW_OUTCOMES, type RowOutcome } from "@/lib/batches/retry-list-outcomes";
import { number } from "./labels";

// The row-by-row report of a retry list: totals by outcome, every row that will not be included
// (with why), and a sample of those that will.

const INCLUDED: RowOutcome[] = ["accepted", "mapped_674"];

function RowsTable({ rows, caption }: { rows: ReportRow[]; caption: string }) {
  return (
    <ScrollRegion label={caption} className="max-h-96 overflow-auto rounded border border-base-light">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-gray-50">
          <tr>
            <th scope="col" className="px-3 py-2">
              Row
            </th>
            <th scope="col" className="px-3 py-2">
              Claim id in file
            </th>
            <th scope="col" className="px-3 py-2">
              Outcome
            </th>
            <th scope="col" className="px-3 py-2">
              Why
            </th>
            <th scope="col" className="px-3 py-2">
              Note
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line} className="border-t border-base-light align-top">
              <th scope="row" className="px-3 py-1.5 font-normal tabular-nums">
                {r.line}
              </th>
              <td className="px-3 py-1.5">
                {r.claimId !== null && r.outcome !== "unknown_id" ? (
                  <Link href={`/claims/${r.claimId}`} className="text-primary-dark underline">
                    {r.claimIdText}
                  </Link>
                ) : (
                  r.claimIdText || <em>empty</em>
                )}
              </td>
              <td className="px-3 py-1.5 font-semibold">{r.label}</td>
              <td className="px-3 py-1.5">{r.message}</td>
              <td className="px-3 py-1.5">{r.note ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export function ImportReportView({ report }: { report: ImportReport }) {
  const outcomes = Object.keys(ROW_OUTCOMES) as RowOutcome[];
  const problems = report.totalRows - report.acceptedCount;
  return (
    <section
      aria-labelledby="report-heading"
      className="space-y-4 rounded border border-base-light bg-white p-4"
      data-testid="import-report"
    >
      <div>
        <h2 id="report-heading" className="text-xl font-bold">
          Report for {report.fileName}
        </h2>
        <p>
          {number.format(report.totalRows)} rows read{report.hasHeader ? " (after the header)" : " (no header)"}:{" "}
          <strong>{number.format(report.acceptedCount)} will be in the batch</strong>, {number.format(problems)} will
          not.
        </p>
      </div>
      <table className="text-left text-sm">
        <caption className="mb-1 text-left font-semibold">Rows by outcome</caption>
        <tbody>
          {outcomes.map((o) => (
            <tr key={o} className={`border-t border-base-light ${report.counts[o] === 0 ? "text-muted" : ""}`}>
              <th scope="row" className="py-1 pr-6 font-normal">
                {ROW_OUTCOMES[o]}
                {INCLUDED.includes(o) ? " (included)" : ""}
              </th>
              <td className="py-1 text-right font-semibold tabular-nums" data-testid={`outcome-${o}`}>
                {number.format(report.counts[o])}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.problemRows.length > 0 && (
        <div>
          <h3 className="mb-1 font-bold">Rows that will not be included</h3>
          {report.problemRowsTruncated && (
            <p className="mb-1 text-sm">
              Showing the first {number.format(report.problemRows.length)}; the totals above count them all.
            </p>
          )}
          <RowsTable rows={report.problemRows} caption="Rows that will not be included, with the reason" />
        </div>
      )}
      {report.acceptedSample.length > 0 && (
        <details>
          <summary className="cursor-pointer font-bold">
            Rows that will be included (
            {report.acceptedSample.length < report.acceptedCount
              ? `first ${number.format(report.acceptedSample.length)} of `
              : ""}
            {number.format(report.acceptedCount)})
          </summary>
          <div className="mt-2">
            <RowsTable rows={report.acceptedSample} caption="Rows that will be included" />
          </div>
        </details>
      )}
    </section>
  );
}
