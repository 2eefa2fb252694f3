"use client";

import { useId, useState, useTransition } from "react";
import { ModalBody, ModalDialog } from "@/components/ui/modal-dialog";
import { saveView } from "@/lib/actions/views/save-view";
import { describeFilter } from "@/lib/claims/describe-filter";
import { parseClaimsFilter } from "@/lib/claims/search-params";
import { HIDEABLE_COLUMNS, type HideableColumn } from "@/lib/views/columns";

// Names the list as it stands (filter, sort, page size) and picks its columns; private unless shared.
export function SaveViewDialog(props: {
  query: string;
  columns: HideableColumn[] | null;
  onClose: () => void;
  onSaved: (name: string, href: string) => void;
}) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const shown = new Set<string>(props.columns ?? HIDEABLE_COLUMNS.map((c) => c.id));
  const filter = describeFilter(parseClaimsFilter(new URLSearchParams(props.query)));

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    if (!name) {
      setError("Give the view a name.");
      return;
    }
    const columns = HIDEABLE_COLUMNS.map((c) => c.id).filter((c) => form.get(`col-${c}`) === "on");
    startTransition(async () => {
      const result = await saveView({ name, shared: form.get("shared") === "on", query: props.query, columns });
      if ("error" in result) {
        const details = result.fieldErrors ? ` ${Object.values(result.fieldErrors).flat().join(" ")}` : "";
        setError(`${result.error}${details}`);
      } else props.onSaved(name, result.data.href);
    });
  }

  return (
    <ModalDialog open onClose={props.onClose} title="Save this view">
      <ModalBody>
        <form onSubmit={submit} className="space-y-4" noValidate>
          <p>
            Claims matching <strong>{filter}</strong>, in the current order.
          </p>
          <div>
            <label htmlFor={`${id}-name`} className="block font-semibold">
              Name
            </label>
            <input
              id={`${id}-name`}
              name="name"
              required
              maxLength={80}
              aria-invalid={Boolean(error)}
              className="mt-1 w-full rounded border border-gray-500 p-2"
            />
          </div>
          <fieldset>
            <legend className="font-semibold">Columns shown (the claim id always is)</legend>
            <div className="mt-1 grid grid-cols-2 gap-1">
              {HIDEABLE_COLUMNS.map((c) => (
                <label key={c.id} className="flex items-center gap-2">
                  <input type="checkbox" name={`col-${c.id}`} defaultChecked={shown.has(c.id)} className="h-4 w-4" />
                  {c.label}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="shared" className="h-4 w-4" />
            Share with the team (everyone sees it in their list of views)
          </label>
          {error && (
            <p role="alert" className="rounded border-l-4 border-error bg-red-50 p-3">
              {error}
            </p>
          )}
          <button
            type="submit"
            disabled={pending}
            className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark disabled:bg-gray-400"
          >
            {pending ? "Saving…" : "Save view"}
          </button>
        </form>
      </ModalBody>
    </ModalDialog>
  );
}
