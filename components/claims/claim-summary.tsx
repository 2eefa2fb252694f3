import Link from "next/link";
import type { ClaimDetail } from "@/lib/claims/claim-detail";
import { attemptStatusLabel, FORM_TYPE_LABELS } from "@/lib/claims/labels";
import { formatZipCode } from "@/lib/pdf/format";
import { formatDate, formatDateTime, yesNo } from "./format";
import { TriageBadge } from "./triage-badge";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="border-b border-base-light py-2 sm:grid sm:grid-cols-[12rem_1fr] sm:gap-4">
      <dt className="font-semibold">{label}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}

export function Card({ title, children, id }: { title: string; children: React.ReactNode; id: string }) {
  return (
    <section aria-labelledby={id} className="rounded border border-base-light bg-white p-4">
      <h2 id={id} className="mb-2 text-xl font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}

// The claim, its group, other claims of the same veteran, and what happened on the primary path.
export function ClaimSummary({ detail }: { detail: ClaimDetail }) {
  const { claim, group, groupClaims, duplicates, primary, mainClaimId } = detail;
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <Card title="Claim" id="claim-heading">
        <dl>
          <Field label="Form">{FORM_TYPE_LABELS[claim.formType]}</Field>
          <Field label="Veteran">
            <span data-testid="veteran-name">
              {claim.veteranFirstName} {claim.veteranLastName}
            </span>
          </Field>
          <Field label="File number">
            <span data-testid="file-number">{claim.fileNumber}</span>
          </Field>
          <Field label="E-mail">{claim.email ?? "—"}</Field>
          <Field label="Zip code">{claim.zipCode ? formatZipCode(claim.zipCode) : "—"}</Field>
          <Field label="Submitted">{formatDateTime(claim.submittedAt)}</Field>
          <Field label="Confirmation number">
            <code className="text-sm">{claim.guid}</code>
          </Field>
          <Field label="Triage state">
            <TriageBadge state={claim.triageState} />
          </Field>
          <Field label="Black hole">{yesNo(claim.blackHole)}</Field>
          <Field label="Veteran told of failure">{yesNo(claim.failureNotified)}</Field>
          <Field label="Backup attempts">
            {claim.attemptCount} (latest: {attemptStatusLabel(claim.latestAttemptStatus)})
          </Field>
          <Field label="Latest batch">
            {claim.latestBatchId ? (
              <Link href={`/batches/${claim.latestBatchId}`} className="text-primary-dark underline">
                Batch #{claim.latestBatchId}
              </Link>
            ) : (
              "—"
            )}
          </Field>
          {claim.excludedReason && <Field label="Excluded because">{claim.excludedReason}</Field>}
        </dl>
      </Card>

      <div className="space-y-4">
        <Card title="Primary-path failure" id="primary-heading">
          {primary ? (
            <dl>
              <Field label="Error class">
                <code className="text-sm">{primary.errorClass ?? "—"}</code>
              </Field>
              <Field label="Message">{primary.errorMessage ?? "—"}</Field>
              <Field label="Grouped as">{claim.failureReason ?? "—"}</Field>
              <Field label="Failed at">{formatDateTime(primary.failedAt)}</Field>
              <Field label="Shown as a success">{yesNo(primary.shownAsSuccess)}</Field>
              <Field label="Failure notice sent">{yesNo(primary.failureNoticeSent)}</Field>
            </dl>
          ) : (
            <p>No primary-path record.</p>
          )}
        </Card>

        <Card title="Claim group" id="group-heading">
          <p className="mb-2 text-sm text-muted">
            {claim.formType === "21-526EZ" ? (
              <>A 526EZ travels in a backup of its own</>
            ) : (
              <>
                A 686c and its 674s travel in one backup, carried by claim{" "}
                <Link href={`/claims/${mainClaimId}`} className="text-primary-dark underline">
                  {mainClaimId}
                </Link>
              </>
            )}
            {group ? `; group status ${group.status}` : ""}.
          </p>
          <ul className="space-y-1">
            {groupClaims.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center gap-2">
                {c.id === claim.id ? (
                  <span className="font-semibold">Claim {c.id} (this claim)</span>
                ) : (
                  <Link href={`/claims/${c.id}`} className="text-primary-dark underline">
                    Claim {c.id}
                  </Link>
                )}
                <span>{c.formType}</span>
                {c.id === mainClaimId && <span className="text-sm text-muted">main</span>}
              </li>
            ))}
          </ul>
        </Card>

        <Card title="Other claims of this veteran" id="duplicates-heading">
          {duplicates.length === 0 ? (
            <p>None found.</p>
          ) : (
            <ul className="space-y-1">
              {duplicates.map((d) => (
                <li key={d.id} className="flex flex-wrap items-center gap-2">
                  <Link href={`/claims/${d.id}`} className="text-primary-dark underline">
                    Claim {d.id}
                  </Link>
                  <span>
                    {d.formType}, submitted {formatDate(d.submittedAt)}
                  </span>
                  <TriageBadge state={d.triageState} />
                  {d.duplicateOf === mainClaimId && <span className="text-sm">duplicate of this claim</span>}
                  {claim.duplicateOf === d.id && (
                    <span className="text-sm font-semibold">this claim is its duplicate</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
