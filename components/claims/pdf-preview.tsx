"use client";

import { useState } from "react";

// The stamped PDF inline, loaded only when asked for: every load is an audited download.
export function PdfPreview({ documentId, fileName }: { documentId: number; fileName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="w-full">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="font-semibold text-primary-dark underline"
      >
        {open ? "Hide preview" : "Preview"}
        <span className="sr-only"> {fileName}</span>
      </button>
      {open && (
        <iframe
          src={`/api/documents/${documentId}?inline=1`}
          title={`Preview of ${fileName}`}
          className="mt-2 h-[32rem] w-full rounded border border-base-light"
        />
      )}
    </div>
  );
}
