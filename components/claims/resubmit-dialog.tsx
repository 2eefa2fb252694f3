"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { ModalBody, ModalDialog } from "@/components/ui/modal-dialog";
import { dryRunResubmit } from "@/lib/actions/claims/dry-run-resubmit";
import { resubmitClaims } from "@/lib/actions/claims/resubmit-claims";
import type { DryRun } from "@/lib/claims/dry-run";
import type { ClaimSelection } from "@/lib/claims/selection";
import { countOf } from "@/lib/plural";
import { DryRunSummary, overBatchLimit } from "./dry-run-summary";

// Resubmit with a safety net: the server computes a dry run for the exact selection, the triager
// gives a reason, and only then is a batch created; it runs in the background (docs/design.md §6a).

const DRY_RUN_UNREACHABLE = "The server could not be reached to work out what would happen. Try again.";

const SUBMIT_BUTTON =
  "rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark " +
  "disabled:cursor-not-allowed disabled:bg-gray-400";

type Props = {
  open: boolean;
  onClose: () => void;
  onCreated: () => void; // the batch exists: the list can refresh and drop its selection
  onDone: () => void;
  selection: ClaimSelection;
  summary: string;
  everything: boolean; // no filter: the selection is every claim
};

export function ResubmitDialog({ open, onClose, onCreated, onDone, selection, summary, everything }: Props) {
  return (
    <ModalDialog open={open} onClose={onClose} title="Resubmit claims" size="wide">
      <ModalBody>
        <ResubmitForm
          selection={selection}
          summary={summary}
          everything={everything}
          onCreated={onCreated}
          onDone={onDone}
        />
      </ModalBody>
    </ModalDialog>
  );
}

function ResubmitForm({ selection, summary, everything, onCreated, onDone }: Omit<Props, "open" | "onClose">) {
  const reasonId = useId();
  const forceId = useId();
  const everythingId = useId();
  const [force, setForce] = useState(false);
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [dryRunError, setDryRunError] = useState<string | null>(null);
  const [checking, startChecking] = useTransition();
  const [submitting, startSubmitting] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [confirmedEverything, setConfirmedEverything] = useState(false);
  const [created, setCreated] = useState<{ batchId: number; itemCount: number; href: string } | null>(null);
  const batchLink = useRef<HTMLAnchorElement>(null);

  // The form (and its focused button) gives way to the result: focus goes to the new batch's link.
  useEffect(() => {
    if (created) batchLink.current?.focus();
  }, [created]);

  useEffect(() => {
    let current = true;
    startChecking(async () => {
      setDryRunError(null);
      const result = await dryRunResubmit({ selection, force }).catch(() => ({ error: DRY_RUN_UNREACHABLE }));
      if (!current) return;
      // A failed dry run leaves no counts behind: the button must not offer the previous selection's.
      if ("error" in result) {
        setDryRun(null);
        setDryRunError(result.error);
      } else setDryRun(result.data);
    });
    return () => {
      current = false;
    };
  }, [selection, force]);

  if (created) {
    return (
      <div role="status" className="space-y-4">
        <p className="rounded border-l-4 border-success bg-green-50 p-3">
          Batch #{created.batchId} was created with {countOf(created.itemCount, "backup")}. It runs in the background;
          you can leave this page.
        </p>
        <Link
          ref={batchLink}
          href={created.href}
          className="inline-block rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark"
          data-testid="batch-link"
        >
          View batch #{created.batchId} progress
        </Link>
        <button
          type="button"
          onClick={onDone}
          className="ml-3 rounded border border-primary px-4 py-2 font-semibold text-primary-dark"
        >
          Back to the list
        </button>
      </div>
    );
  }

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get("reason") ?? "").trim();
    if (reason.length < 3) {
      setError("Give a reason of at least 3 characters (a ticket number will do).");
      return;
    }
    setError(null);
    const payload: ClaimSelection =
      selection.kind === "filter" ? { ...selection, everything: confirmedEverything } : selection;
    startSubmitting(async () => {
      const result = await resubmitClaims({ selection: payload, reason, force });
      if ("error" in result)
        setError(
          result.fieldErrors ? `${result.error} ${Object.values(result.fieldErrors).flat().join(" ")}` : result.error,
        );
      else {
        setCreated(result.data);
        onCreated();
      }
    });
  }

  // A sampled dry run may count none to start in its sample where the selection has a few.
  const canSubmit =
    !checking &&
    !submitting &&
    dryRun !== null &&
    (dryRun.willStart > 0 || dryRun.sampled !== null) &&
    !overBatchLimit(dryRun) &&
    (!everything || confirmedEverything);
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <p>
        Selection: <strong>{summary}</strong>. Claims that match later are not added: the selection is frozen when you
        confirm.
      </p>
      {everything && (
        <div className="rounded border-l-4 border-warning bg-yellow-50 p-3">
          <p className="font-semibold">No filter is applied: this is every claim in the list.</p>
          <label htmlFor={everythingId} className="mt-2 flex items-center gap-2">
            <input
              id={everythingId}
              type="checkbox"
              checked={confirmedEverything}
              onChange={(e) => setConfirmedEverything(e.target.checked)}
              className="h-4 w-4"
            />
            Yes, I mean every claim
          </label>
        </div>
      )}
      <div aria-live="polite" aria-busy={checking}>
        {checking && <p className="text-muted">Working out what would happen…</p>}
        {dryRunError && (
          <p role="alert" className="text-error">
            {dryRunError}
          </p>
        )}
        {dryRun && !checking && <DryRunSummary dryRun={dryRun} />}
      </div>
      <div>
        <label htmlFor={forceId} className="flex items-center gap-2">
          <input
            id={forceId}
            type="checkbox"
            checked={force}
            onChange={(e) => setForce(e.target.checked)}
            className="h-4 w-4"
          />
          Force: resubmit even claims already submitted or confirmed
        </label>
      </div>
      <div>
        <label htmlFor={reasonId} className="block font-semibold">
          Reason (required)
        </label>
        <p id={`${reasonId}-hint`} className="text-sm text-muted">
          A ticket number or a note; it is stored in the audit log with this selection.
        </p>
        <textarea
          id={reasonId}
          name="reason"
          required
          minLength={3}
          maxLength={500}
          rows={2}
          aria-describedby={`${reasonId}-hint`}
          aria-invalid={Boolean(error)}
          className="mt-1 w-full rounded border border-gray-500 p-2"
        />
      </div>
      {error && (
        <p role="alert" className="rounded border-l-4 border-error bg-red-50 p-3">
          {error}
        </p>
      )}
      <div className="flex gap-3">
        <button type="submit" disabled={!canSubmit} className={SUBMIT_BUTTON}>
          {submitting
            ? "Creating batch…"
            : dryRun
              ? `Resubmit ${dryRun.sampled ? "about " : ""}${countOf(dryRun.willStart, "backup")}`
              : "Resubmit"}
        </button>
      </div>
    </form>
  );
}
