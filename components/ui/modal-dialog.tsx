"use client";

import { createContext, useContext, useEffect, useId, useRef } from "react";

// The one modal dialog: a native <dialog> opened with showModal(), so the browser makes the rest of
// the page inert and Escape closes it; on close, focus goes back to the control that opened it. Its
// content is mounted only while open, so each opening starts with a fresh form.

const SIZES = { narrow: "max-w-lg", medium: "max-w-xl", wide: "max-w-3xl" } as const;

const BACKDROP = "backdrop:bg-black/60";

const CloseContext = createContext<() => void>(() => {});

// For a button inside the dialog ("Go back"): closes it as Escape does, which calls onClose once.
export function useCloseDialog() {
  return useContext(CloseContext);
}

export function ModalDialog({
  open,
  onClose,
  title,
  children,
  size = "medium",
  closeButton = true,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  size?: keyof typeof SIZES;
  closeButton?: boolean; // false when the content has its own way out ("Go back")
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

  const close = () => ref.current?.close();
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={`m-auto w-[calc(100%-2rem)] ${SIZES[size]} rounded-lg bg-white p-0 text-ink shadow-xl ${BACKDROP}`}
    >
      <div className="flex items-start justify-between gap-4 border-b border-base-light px-6 py-4">
        <h2 id={titleId} className="text-xl font-bold">
          {title}
        </h2>
        {closeButton && (
          <button
            type="button"
            onClick={close}
            className="rounded px-2 py-1 text-sm font-semibold text-primary-dark underline"
          >
            Close<span className="sr-only"> dialog</span>
          </button>
        )}
      </div>
      <CloseContext.Provider value={close}>{open ? children : null}</CloseContext.Provider>
    </dialog>
  );
}

// The scrolling body of a dialog whose content can be long (a dry run, a description).
export function ModalBody({ children }: { children: React.ReactNode }) {
  return <div className="max-h-[75vh] overflow-y-auto px-6 py-4">{children}</div>;
}
