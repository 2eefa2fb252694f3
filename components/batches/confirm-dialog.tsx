"use client";

import { useId, useState } from "react";
import { ModalDialog, useCloseDialog } from "@/components/ui/modal-dialog";

// A confirmation before any batch action, on the shared modal dialog (the page behind is inert,
// Escape cancels, focus returns to the opener), with an optional reason for the audit log.

export type ConfirmDialogProps = {
  open: boolean;
  title: string;
  confirmLabel: string;
  destructive?: boolean;
  pending: boolean;
  error: string | null;
  onConfirm: (reason: string) => void;
  onClose: () => void;
  children: React.ReactNode;
  reasonRequired?: boolean;
  askReason?: boolean; // false when the form behind already took the reason
};

export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <ModalDialog open={props.open} onClose={props.onClose} title={props.title} size="narrow" closeButton={false}>
      <ConfirmForm {...props} />
    </ModalDialog>
  );
}

// Mounted afresh at each opening, so the reason starts empty every time.
function ConfirmForm(props: ConfirmDialogProps) {
  const close = useCloseDialog();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const confirmTone = props.destructive ? "bg-error hover:bg-red-900" : "bg-primary hover:bg-primary-dark";
  return (
    <form
      method="dialog"
      onSubmit={(e) => {
        e.preventDefault();
        props.onConfirm(reason.trim());
      }}
    >
      <div className="space-y-3 px-6 py-4">
        {props.children}
        {props.askReason !== false && (
          <div>
            <label htmlFor={reasonId} className="block font-semibold">
              Reason {props.reasonRequired ? "(required)" : "(optional)"}
            </label>
            <p className="text-sm text-muted">Kept in the audit log, for example a ticket number.</p>
            <textarea
              id={reasonId}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              rows={2}
              required={props.reasonRequired}
              className="mt-1 w-full rounded border border-gray-500 p-2"
            />
          </div>
        )}
        {props.error && (
          <p role="alert" className="rounded border-l-4 border-error bg-red-50 p-3">
            {props.error}
          </p>
        )}
      </div>
      <div className="flex justify-end gap-3 border-t border-base-light px-6 py-4">
        <button type="button" onClick={close} className="rounded border border-gray-600 px-4 py-2 font-semibold">
          Go back
        </button>
        <button
          type="submit"
          disabled={props.pending}
          className={`rounded px-4 py-2 font-semibold text-white disabled:opacity-60 ${confirmTone}`}
        >
          {props.pending ? "Working…" : props.confirmLabel}
        </button>
      </div>
    </form>
  );
}
