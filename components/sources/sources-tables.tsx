import Link from "next/link";
import { formatDateTime } from "@/components/batches/labels";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { storedRuleText } from "@/lib/ingest/classify";
import { RESULTS, type SourcesData } from "@/lib/ingest/sources";

// The Sources page's tables (app/(app)/sources/page.tsx). Server-rendered; nothing here holds a
// value from a record, only sources' ids, paths and reasons.

const CELL = "px-3 py-2";
const number = new Intl.NumberFormat("en-US");
const Empty = ({ children }: { children: React.ReactNode }) => (
  <p className="rounded border border-base-light bg-white p-4 text-muted">{children}</p>
);

export function SourceSummaryTable({ sources }: { sources: SourcesData["sources"] }) {
  if (sources.length === 0) return <Empty>No system of record has sent anything yet.</Empty>;
  return (
    <ScrollRegion label="Sources" className="overflow-x-auto rounded border border-base-light bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Each source's last record and its records by result</caption>
        <thead className="bg-gray-50">
          <tr>
            <th scope="col" className={CELL}>
              Source
            </th>
            <th scope="col" className={CELL}>
              Last record received
            </th>
            <th scope="col" className={`${CELL} text-right`}>
              Records held
            </th>
            {RESULTS.map((r) => (
              <th key={r} scope="col" className={`${CELL} text-right capitalize`}>
                {r} <span className="font-normal text-muted">day / week</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.sourceSystem} className="border-t border-base-light" data-testid={`source-${s.sourceSystem}`}>
              <th scope="row" className={`${CELL} font-semibold`}>
                {s.sourceSystem || <span className="text-muted">(unreadable records)</span>}
              </th>
              <td className={CELL}>{s.lastReceivedAt ? formatDateTime(s.lastReceivedAt) : "—"}</td>
              <td className={`${CELL} text-right tabular-nums`}>{number.format(s.records)}</td>
              {RESULTS.map((r) => (
                <td key={r} className={`${CELL} text-right tabular-nums`} data-testid={`${r}-${s.sourceSystem}`}>
                  {number.format(s.day[r] ?? 0)} / {number.format(s.week[r] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export function RefusalsTable({ refusals }: { refusals: SourcesData["refusals"] }) {
  if (refusals.rows.length === 0) return <Empty>No refused records.</Empty>;
  return (
    <ScrollRegion label="Refused records" className="overflow-x-auto rounded border border-base-light bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">The latest refused records, newest first, with every reason</caption>
        <thead className="bg-gray-50">
          <tr>
            {["Received", "Source", "Record id", "Way in", "Why refused"].map((h) => (
              <th key={h} scope="col" className={CELL}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {refusals.rows.map((r) => (
            <tr key={r.id} className="border-t border-base-light align-top" data-testid="refusal">
              <td className={`${CELL} whitespace-nowrap`}>{formatDateTime(r.receivedAt)}</td>
              <td className={CELL}>{r.sourceSystem ?? "—"}</td>
              <td className={`${CELL} break-all`}>{r.sourceId ?? "—"}</td>
              <td className={CELL}>{r.way}</td>
              <td className={CELL}>
                <ul className="space-y-1">
                  {r.problems.map((p) => (
                    <li key={`${p.path}:${p.message}`}>
                      <code className="rounded bg-gray-100 px-1">{p.path}</code> {p.message}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export function FilesWaitingTable({ waiting }: { waiting: SourcesData["waiting"] }) {
  return (
    <div className="space-y-2">
      <p>
        {number.format(waiting.claimsWaitingForEvidence)} claims wait for an evidence file;{" "}
        {number.format(waiting.claimsWaitingForParent)} 674s wait for their 686c. None of them may start until it
        arrives.
      </p>
      {waiting.files.length > 0 && (
        <ScrollRegion label="Files waiting" className="overflow-x-auto rounded border border-base-light bg-white">
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">Evidence files named by claims and not received yet, oldest first</caption>
            <thead className="bg-gray-50">
              <tr>
                {["SHA-256", "Claims waiting", "First claim", "Waiting since"].map((h) => (
                  <th key={h} scope="col" className={CELL}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {waiting.files.map((f) => (
                <tr key={f.sha256} className="border-t border-base-light">
                  <td className={`${CELL} font-mono text-xs break-all`}>{f.sha256}</td>
                  <td className={`${CELL} tabular-nums`}>{number.format(f.claims)}</td>
                  <td className={CELL}>
                    <Link className="font-semibold text-primary-dark underline" href={`/claims/${f.firstClaimId}`}>
                      Claim {f.firstClaimId}
                    </Link>
                  </td>
                  <td className={`${CELL} whitespace-nowrap`}>{formatDateTime(f.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </div>
  );
}

export function ConflictsTable({ conflicts }: { conflicts: SourcesData["conflicts"] }) {
  if (conflicts.rows.length === 0) return <Empty>No conflicts.</Empty>;
  return (
    <ScrollRegion label="Conflicts" className="overflow-x-auto rounded border border-base-light bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">
          Claims the source shows resolved while a backup of ours was queued or running, newest first
        </caption>
        <thead className="bg-gray-50">
          <tr>
            {["Claim", "Source record", "The source says", "Our state then", "When"].map((h) => (
              <th key={h} scope="col" className={CELL}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {conflicts.rows.map((c) => (
            <tr key={c.id} className="border-t border-base-light" data-testid="conflict">
              <td className={CELL}>
                <Link className="font-semibold text-primary-dark underline" href={`/claims/${c.claimId}`}>
                  Claim {c.claimId}
                </Link>
              </td>
              <td className={`${CELL} break-all`}>
                {c.sourceSystem} / {c.sourceId}
              </td>
              <td className={CELL}>{storedRuleText(c.rule)}</td>
              <td className={CELL}>{c.stateBefore.replace("_", " ")}</td>
              <td className={`${CELL} whitespace-nowrap`}>{formatDateTime(c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
