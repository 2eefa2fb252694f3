import Link from "next/link";
import type { ClaimDetail } from "@/lib/claims/claim-detail";
import { attemptStatusLabel } from "@/lib/claims/labels";
import { countOf } from "@/lib/plural";
import { formatBytes, formatDateTime } from "./format";
import { PdfPreview } from "./pdf-preview";

type Attempt = ClaimDetail["attempts"][number];

const TEMPLATE_LABELS: Record<string, string> = {
  backup_in_progress: "Backup in progress",
  backup_failed: "Backup failed",
};
const END_STATES = new Set(["vbms", "error", "expired", "success"]);

function statusTone(status: string) {
  if (status === "vbms" || status === "success") return "border-success-dark bg-green-50";
  if (status === "failure" || status === "error" || status === "expired") return "border-error bg-red-50";
  return "border-primary bg-blue-50";
}

function TriggeredBy({ attempt }: { attempt: Attempt }) {
  const batch = attempt.batchId ? (
    <Link href={`/batches/${attempt.batchId}`} className="text-primary-dark underline">
      batch #{attempt.batchId}
      {attempt.batchName ? ` (${attempt.batchName})` : ""}
    </Link>
  ) : null;
  switch (attempt.trigger) {
    case "user":
      return <>{attempt.triggeredByName ?? "a user"}, by hand</>;
    case "batch":
      return (
        <>
          {batch ?? "a batch"}
          {attempt.triggeredByName ? `, started by ${attempt.triggeredByName}` : ""}
        </>
      );
    case "retry":
      return (
        <>
          automatic retry {attempt.retryNumber}
          {batch ? <> of {batch}</> : null}
        </>
      );
    case "import":
      return <>an imported retry list{batch ? <> ({batch})</> : null}</>;
  }
}

const codeOrDash = (value: string | null) => (value ? <code>{value}</code> : "—");

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="sm:grid sm:grid-cols-[11rem_1fr] sm:gap-3">
      <dt className="font-semibold">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

// Every backup attempt, newest first (docs/design.md §6a: every attempt kept, not just the last error).
export function AttemptTimeline({ detail, canDownload }: { detail: ClaimDetail; canDownload: boolean }) {
  const { attempts, documents, notifications } = detail;
  if (attempts.length === 0) return <p>No backup has been attempted for this claim yet.</p>;
  return (
    <ol className="space-y-4" aria-label="Backup attempts, newest first">
      {attempts.map((a) => {
        const docs = documents.filter((d) => d.attemptId === a.id);
        const emails = notifications.filter((n) => n.attemptId === a.id);
        return (
          <li
            key={a.id}
            className={`rounded border-l-4 bg-white p-4 shadow-sm ${statusTone(a.status)}`}
            data-testid="attempt"
          >
            <h3 className="mb-2 text-lg font-bold">
              Attempt {a.attemptNumber}: {attemptStatusLabel(a.status)}
              {a.transient !== null && a.status === "failure" && (
                <span className="ml-2 text-base font-normal">({a.transient ? "transient, retried" : "permanent"})</span>
              )}
              {a.forced && <span className="ml-2 text-base font-normal">(forced)</span>}
            </h3>
            <dl className="space-y-1 text-sm">
              <Row label="Triggered by">
                <TriggeredBy attempt={a} />
              </Row>
              <Row label="Started">{formatDateTime(a.startedAt)}</Row>
              <Row label="Uploaded">{formatDateTime(a.submittedAt)}</Row>
              <Row label="Finished">{formatDateTime(a.finishedAt)}</Row>
              {END_STATES.has(a.status) && (
                <Row label="End state">
                  {attemptStatusLabel(a.status)} at {formatDateTime(a.endStateAt)}
                </Row>
              )}
              <Row label="Benefits Intake uuid">{codeOrDash(a.benefitsIntakeUuid)}</Row>
              {a.retryNumber > 0 && <Row label="Retry number">{a.retryNumber}</Row>}
              {(a.errorClass || a.errorMessage || a.errorCode) && (
                <Row label="Error">
                  <span className="font-mono">
                    {[a.errorClass, a.errorCode, a.httpStatus ? `HTTP ${a.httpStatus}` : null]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                  {a.errorMessage && <span className="block">{a.errorMessage}</span>}
                  {a.transient !== null && <span className="block">{a.transient ? "Transient" : "Permanent"}</span>}
                </Row>
              )}
              <Row label="E-mails">
                {emails.length === 0 ? (
                  "None"
                ) : (
                  <ul>
                    {emails.map((n) => (
                      <li key={n.id}>
                        {TEMPLATE_LABELS[n.template] ?? n.template} to {n.recipient}: {n.status}
                        {n.sentAt ? `, sent ${formatDateTime(n.sentAt)}` : `, queued ${formatDateTime(n.createdAt)}`}
                        {n.lastError ? ` (last error: ${n.lastError})` : ""}
                      </li>
                    ))}
                  </ul>
                )}
              </Row>
            </dl>
            {docs.length > 0 && (
              <div className="mt-3">
                <h4 className="font-semibold">Stamped PDFs</h4>
                {!canDownload && (
                  <p className="text-sm text-muted">PDFs contain PII: previews and downloads need the triager role.</p>
                )}
                <ul className="mt-1 space-y-2">
                  {docs.map((d) => (
                    <li key={d.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                      <span className="font-mono">{d.fileName}</span>
                      <span className="text-muted">
                        {d.role}, {countOf(d.pageCount, "page")}, {formatBytes(d.byteSize)}
                      </span>
                      {canDownload && (
                        <>
                          <a href={`/api/documents/${d.id}`} className="font-semibold text-primary-dark underline">
                            Download<span className="sr-only"> {d.fileName}</span>
                          </a>
                          <PdfPreview documentId={d.id} fileName={d.fileName} />
                        </>
                      )}
                    </li>
                  ))}
                </ul>
                {canDownload && docs.length > 1 && (
                  <a
                    href={`/api/documents/zip?attemptId=${a.id}`}
                    className="mt-2 inline-block font-semibold text-primary-dark underline"
                  >
                    Download all {docs.length} PDFs of attempt {a.attemptNumber} (zip)
                  </a>
                )}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
