"use client";

import { useEffect, useId, useRef } from "react";

// A native modal <dialog>: the browser makes the rest of the page inert, Escape closes it, and on
// close focus goes back to the control that opened it.

export function ModalDialog({
  open,
  onClose,
  title,
  children,
  wide,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const handleClose = () => {
      onCloseRef.current();
      opener.current?.focus();
    };
    dialog.addEventListener("close", handleClose);
    return () => dialog.removeEventListener("close", handleClose);
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`m-auto w-[calc(100%-2rem)] ${wide ? "max-w-3xl" : "max-w-xl"} rounded-lg bg-white p-0 text-ink shadow-xl backdrop:bg-black/60`}
    >
      <div className="flex items-start justify-between gap-4 border-b border-base-light px-6 py-4">
        <h2 id={titleId} className="text-xl font-bold">
          {title}
        </h2>
        <button
          type="button"
          onClick={() => ref.current?.close()}
          className="rounded px-2 py-1 text-sm font-semibold text-primary-dark underline"
        >
          Close<span className="sr-only"> dialog</span>
        </button>
      </div>
      <div className="max-h-[75vh] overflow-y-auto px-6 py-4">{open ? children : null}</div>
    </dialog>
  );
}
