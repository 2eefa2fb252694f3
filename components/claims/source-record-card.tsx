import { formatDateTime } from "@/components/batches/labels";
import type { ReconcileOutcome } from "@/db/queries/ingest-reconcile";
import type { ClaimDetail } from "@/lib/claims/claim-detail";
import { storedRuleText } from "@/lib/ingest/classify";
import { Card } from "./claim-summary";
import { SettleConflict } from "./settle-conflict";

// Why the claim is on the list, as the system of record's data says (lib/ingest/classify.ts: the
// rule and the facts it matched), and the timeline of what later records showed (reconciliation).
// Nothing here is PII: the facts are statuses, ids of the source's own paths, ages and flags.

const CATEGORY_TEXT: Record<string, string> = {
  failed: "Failed at the source: on the triage list, may be resubmitted.",
  needs_person: "Needs a person before any resubmission.",
  in_process: "Not failed at the source yet.",
  resolved: "Resolved at the source.",
};

const OUTCOME_TEXT: Record<ReconcileOutcome, string> = {
  resolved_elsewhere: "Resolved elsewhere: taken off the triage list",
  conflict: "Conflict: a backup of ours was queued or running — a person decides",
  noted: "Noted: the claim keeps our own outcome",
};

const FACT_LABELS: Record<string, string> = {
  claimId: "Claim id from the primary path",
  endpoint: "Primary path endpoint",
  ageDays: "Days since the claim date",
  backupUuid: "Benefits Intake uuid (source's backup)",
  backupStatus: "Source's backup status",
  remediated: "Remediated at the source",
  emailed: "Failure e-mail recorded by the source",
  pdfConfirmed: "PDF confirmed by the poll job",
  exhaustedBackup: "Backup job ran out of retries",
  exhaustedPrimary: "Primary job ran out of retries",
  groupStatus: "Claim group status at the source",
  attemptStatus: "Latest Benefits Intake attempt at the source",
  attemptAgeDays: "Days since that attempt",
};

function factValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (value === true) return "yes";
  if (value === false) return "no";
  return String(value);
}

function Facts({ facts }: { facts: Record<string, unknown> }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {Object.entries(facts).map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-muted">{FACT_LABELS[key] ?? key}</dt>
          <dd className="break-all">{factValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function SourceRecordCard({ detail, canSettle }: { detail: ClaimDetail; canSettle: boolean }) {
  const { source, reconciliations: timeline } = detail;
  const claimId = detail.claim.id;
  if (!source) return null;
  const openConflict = timeline.some((r) => r.outcome === "conflict" && r.settledAt === null);
  return (
    <Card title="Why this claim is on the list" id="source-heading">
      <div className="space-y-3" data-testid="claim-classification">
        <p>
          <strong>{storedRuleText(source.rule)}</strong>{" "}
          <span className="text-muted">
            (rule <code>{source.rule}</code>, version {source.ruleVersion})
          </span>
        </p>
        <p>{CATEGORY_TEXT[source.category] ?? source.category}</p>
        <h3 className="font-semibold">The facts it matched</h3>
        <Facts facts={source.facts} />
        <p className="text-sm text-muted">
          From {source.sourceSystem}, {source.sourceTable} {source.sourceId}; {source.versions} version
          {source.versions === 1 ? "" : "s"} received, the latest {formatDateTime(source.updatedAt)}.
        </p>
        {timeline.length > 0 && (
          <>
            <h3 className="font-semibold">What later records showed</h3>
            <ol className="space-y-3" data-testid="reconciliation-timeline">
              {timeline.map((r) => (
                <li key={r.id} className="border-l-4 border-primary pl-3">
                  <p className="font-semibold">
                    {OUTCOME_TEXT[r.outcome]}
                    {r.outcome === "conflict" &&
                      (r.settledAt ? ` (settled ${formatDateTime(r.settledAt)})` : " (open)")}
                  </p>
                  <p className="text-sm">
                    {formatDateTime(r.createdAt)}: the source shows “{storedRuleText(r.rule)}”
                    {r.claimId !== claimId ? ` for claim ${r.claimId}, which carries this one` : ""}; the claim was{" "}
                    {r.stateBefore.replace("_", " ")}.
                  </p>
                  <Facts facts={r.facts} />
                </li>
              ))}
            </ol>
            {openConflict && canSettle && <SettleConflict claimId={claimId} />}
          </>
        )}
      </div>
    </Card>
  );
}
