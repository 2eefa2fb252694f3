import { useId } from "react";
import { ScrollRegion } from "@/components/ui/scroll-region";

// One chart with its text alternative: a visible one-line summary, the chart (hidden from assistive
// technology), and the full figures as a table in a disclosure.

export type FigureTable = { caption: string; columns: string[]; rows: (string | number)[][]; numeric?: boolean[] };

export function ChartFigure({
  title,
  summary,
  table,
  children,
  empty,
  className = "",
}: {
  title: string;
  summary: string;
  table: FigureTable;
  children: React.ReactNode;
  empty?: string;
  className?: string;
}) {
  const id = useId();
  return (
    <figure
      aria-labelledby={`${id}-t`}
      aria-describedby={`${id}-s`}
      className={`flex flex-col rounded border border-base-light bg-white p-4 ${className}`}
    >
      <h2 id={`${id}-t`} className="text-lg font-bold">
        {title}
      </h2>
      <p id={`${id}-s`} className="mb-2 text-sm">
        {summary}
      </p>
      {empty ? (
        <p className="flex min-h-40 items-center justify-center rounded bg-gray-50 text-muted">{empty}</p>
      ) : (
        <div aria-hidden="true" className="min-h-40">
          {children}
        </div>
      )}
      {table.rows.length > 0 && (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer font-semibold text-primary-dark">Show the figures as a table</summary>
          <ScrollRegion label={table.caption} className="mt-2 max-h-80 overflow-auto">
            <table className="w-full border-collapse text-left">
              <caption className="sr-only">{table.caption}</caption>
              <thead className="sticky top-0 bg-gray-50">
                <tr>
                  {table.columns.map((c, i) => (
                    <th key={c} scope="col" className={`px-2 py-1 ${table.numeric?.[i] ? "text-right" : ""}`}>
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map(([head, ...cells]) => (
                  // The first cell names the row (a day, a form, a reason, a bucket): unique in its table.
                  <tr key={String(head)} className="border-t border-base-light">
                    <th scope="row" className="px-2 py-1 font-normal">
                      {head}
                    </th>
                    {cells.map((cell, i) => {
                      const column = table.columns[i + 1];
                      const numeric = table.numeric?.[i + 1] ? "text-right tabular-nums" : "";
                      return (
                        <td key={column} className={`px-2 py-1 ${numeric}`}>
                          {typeof cell === "number" ? cell.toLocaleString("en-US") : cell}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </details>
      )}
    </figure>
  );
}
