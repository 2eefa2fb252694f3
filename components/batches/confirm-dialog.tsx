"use client";

import { useEffect, useId, useRef, useState } from "react";

// A confirmation before any batch action: a native modal <dialog> (the page behind is inert,
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
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const onCloseRef = useRef(props.onClose);
  useEffect(() => {
    onCloseRef.current = props.onClose;
  }, [props.onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setReason("");
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  }, [props.open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const closed = () => {
      onCloseRef.current();
      opener.current?.focus();
    };
    dialog.addEventListener("close", closed);
    return () => dialog.removeEventListener("close", closed);
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg bg-white p-0 text-ink shadow-xl backdrop:bg-black/60"
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          props.onConfirm(reason.trim());
        }}
      >
        <h2 id={titleId} className="border-b border-base-light px-6 py-4 text-xl font-bold">
          {props.title}
        </h2>
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
          <button
            type="button"
            onClick={() => ref.current?.close()}
            className="rounded border border-gray-600 px-4 py-2 font-semibold"
          >
            Go back
          </button>
          <button
            type="submit"
            disabled={props.pending}
            className={`rounded px-4 py-2 font-semibold text-white disabled:opacity-60 ${props.destructive ? "bg-error hover:bg-red-900" : "bg-primary hover:bg-primary-dark"}`}
          >
            {props.pending ? "Working…" : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
