import Link from "next/link";
import { batchLimitText } from "@/lib/batches/batch-limit";
import type { DryRun } from "@/lib/claims/dry-run";
import { FORM_TYPE_LABELS } from "@/lib/claims/labels";
import { countOf, plural } from "@/lib/plural";

const fmt = new Intl.NumberFormat("en-US");

// The dry run as the triager reads it before confirming: what will start, what will be skipped
// and why, and which claims will fail at Benefits Intake because of their metadata. A very large
// selection's figures are estimates from a sample, and say so ("about").
export function DryRunSummary({ dryRun }: { dryRun: DryRun }) {
  const skippedTotal = dryRun.skipped.reduce((s, r) => s + r.count, 0);
  const invalid = dryRun.invalidMetadata;
  const about = dryRun.sampled ? "about " : "";
  return (
    <div className="space-y-4" data-testid="dry-run">
      {dryRun.sampled && (
        <p className="rounded border-l-4 border-warning bg-yellow-50 p-3" data-testid="dry-run-sampled">
          <strong>Estimated.</strong> This selection is too large to check claim by claim in a few seconds, so the
          backups, what will start and what will be skipped are worked out on a sample of{" "}
          {countOf(dryRun.sampled.examined, "claim")} and scaled up. The batch counts them exactly when it is created.
        </p>
      )}
      <p>
        <strong>{fmt.format(dryRun.selectedClaims)}</strong> {plural(dryRun.selectedClaims, "claim")} selected, in{" "}
        {about}
        <strong>{fmt.format(dryRun.backups)}</strong> {plural(dryRun.backups, "backup")} (a 686c carries its 674s).
      </p>
      <BatchLimitNote dryRun={dryRun} />
      <table className="w-full text-sm">
        <caption className="mb-1 text-left font-semibold">Selected claims by form</caption>
        <tbody>
          {dryRun.byFormType.map((f) => (
            <tr key={f.formType} className="border-b border-base-light">
              <th scope="row" className="py-1 text-left font-normal">
                {FORM_TYPE_LABELS[f.formType]}
              </th>
              <td className="py-1 text-right">{fmt.format(f.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="rounded border-l-4 border-primary bg-blue-50 p-3">
        <p className="font-semibold" data-testid="dry-run-will-start">
          Will start: {about}
          {countOf(dryRun.willStart, "backup")}
        </p>
        {skippedTotal > 0 && (
          <>
            <p className="mt-2">
              Will be skipped: {about}
              {fmt.format(skippedTotal)}
            </p>
            <ul className="ml-5 list-disc">
              {dryRun.skipped.map((s) => (
                <li key={s.reason}>
                  {about}
                  {fmt.format(s.count)}: {s.text}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {dryRun.invalidMetadata.count > 0 && (
        <div className="rounded border-l-4 border-error bg-red-50 p-3">
          <p className="font-semibold">
            {dryRun.sampled ? "About " : dryRun.invalidMetadata.complete ? "" : "At least "}
            {countOf(invalid.count, "backup")} {plural(invalid.count, "has", "have")} metadata Benefits Intake will
            reject.
          </p>
          <p className="text-sm">
            They will fail permanently and the veteran will be told; consider fixing or excluding them first.
          </p>
          <ul className="mt-2 space-y-1 text-sm">
            {dryRun.invalidMetadata.sample.map((c) => (
              <li key={c.claimId}>
                <Link href={`/claims/${c.claimId}`} className="font-semibold text-primary-dark underline">
                  Claim {c.claimId}
                </Link>{" "}
                ({c.formType}): {c.problems.join("; ")}
              </li>
            ))}
          </ul>
          {dryRun.invalidMetadata.count > dryRun.invalidMetadata.sample.length && (
            <p className="mt-1 text-sm">
              …and {about}
              {fmt.format(dryRun.invalidMetadata.count - dryRun.invalidMetadata.sample.length)} more.
            </p>
          )}
        </div>
      )}
    </div>
  );
}

// A batch is written whole when it is created, so it has a size limit; the dialog says it before
// the triager tries (lib/batches/batch-limit.ts). An estimate is trusted to be over it only by a
// margin well beyond the sample's error (within 5% at a million claims, bench/dry-run.ts).
const ESTIMATE_MARGIN = 1.2;
export const overBatchLimit = (dryRun: DryRun) =>
  dryRun.backups > dryRun.batchLimit * (dryRun.sampled ? ESTIMATE_MARGIN : 1);

function BatchLimitNote({ dryRun }: { dryRun: DryRun }) {
  if (dryRun.backups <= dryRun.batchLimit)
    return (
      <p className="text-sm text-muted" data-testid="dry-run-batch-limit">
        {batchLimitText(dryRun.batchLimit)}
      </p>
    );
  return (
    <p role="alert" className="rounded border-l-4 border-error bg-red-50 p-3" data-testid="dry-run-batch-limit">
      <strong>{overBatchLimit(dryRun) ? "Too many for one batch." : "Probably too many for one batch."}</strong>{" "}
      {batchLimitText(dryRun.batchLimit)} Narrow the filter (by form, triage state or submission date) and resubmit it
      in parts.
      {!overBatchLimit(dryRun) && " If the selection is over the limit, the batch is refused and nothing is created."}
    </p>
  );
}
