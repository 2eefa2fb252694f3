"use client";

import { useId, useState, useTransition } from "react";
import { ModalBody, ModalDialog } from "@/components/ui/modal-dialog";

export type ReasonDialogResult = { ok: boolean; message: string };

// A confirmation that needs a reason (stored in the audit log), with an optional "force" option.
export function ReasonDialog(props: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  forceLabel?: string;
  onConfirm: (input: { reason: string; force: boolean }) => Promise<ReasonDialogResult>;
}) {
  return (
    <ModalDialog open={props.open} onClose={props.onClose} title={props.title}>
      <ModalBody>
        <ReasonForm {...props} />
      </ModalBody>
    </ModalDialog>
  );
}

function ReasonForm({ description, confirmLabel, forceLabel, onConfirm, onClose }: Parameters<typeof ReasonDialog>[0]) {
  const id = useId();
  const [force, setForce] = useState(false);
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ReasonDialogResult | null>(null);

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get("reason") ?? "").trim();
    if (reason.length < 3) {
      setResult({ ok: false, message: "Give a reason of at least 3 characters (a ticket number will do)." });
      return;
    }
    startTransition(async () => setResult(await onConfirm({ reason, force })));
  }

  if (result?.ok) {
    return (
      <div className="space-y-4">
        <p role="status" className="rounded border-l-4 border-success bg-green-50 p-3">
          {result.message}
        </p>
        <button
          type="button"
          onClick={onClose}
          className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark"
        >
          Done
        </button>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div>{description}</div>
      {forceLabel && (
        <label htmlFor={`${id}-force`} className="flex items-center gap-2">
          <input
            id={`${id}-force`}
            type="checkbox"
            checked={force}
            onChange={(e) => setForce(e.target.checked)}
            className="h-4 w-4"
          />
          {forceLabel}
        </label>
      )}
      <div>
        <label htmlFor={`${id}-reason`} className="block font-semibold">
          Reason (required)
        </label>
        <p id={`${id}-hint`} className="text-sm text-muted">
          A ticket number or a note; it is stored in the audit log.
        </p>
        <textarea
          id={`${id}-reason`}
          name="reason"
          required
          minLength={3}
          maxLength={500}
          rows={2}
          aria-describedby={`${id}-hint`}
          className="mt-1 w-full rounded border border-gray-500 p-2"
        />
      </div>
      {result && !result.ok && (
        <p role="alert" className="rounded border-l-4 border-error bg-red-50 p-3">
          {result.message}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark disabled:bg-gray-400"
      >
        {pending ? "Working…" : confirmLabel}
      </button>
    </form>
  );
}
