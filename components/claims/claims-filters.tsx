"use client";

import Link from "next/link";
import { useId } from "react";
import { useTableUrl } from "@/components/data-table/table-url";
import type { ClaimsFilter } from "@/db/queries/claims-list";
import type { FormType, TriageState } from "@/db/schema/enums";
import { FORM_TYPES, isEmptyFilter, TRIAGE_STATES } from "@/lib/claims/filters";
import { FORM_TYPE_LABELS, TRIAGE_STATE_LABELS } from "@/lib/claims/labels";
import { writeClaimsFilter } from "@/lib/claims/search-params";

// The filter bar: a plain form (Apply, or Enter in any field) so nothing moves while a person is
// still choosing. It writes the same URL keys the server page parses; the failure reason is picked
// in the reasons panel and kept here.

// normaliseFilter sorts the states, so this is the order the URL carries.
const OUTSTANDING = "failed,never_tried";

const yesNo = (value: string | undefined) => (value === "yes" ? true : value === "no" ? false : undefined);
const yesNoValue = (value: boolean | undefined) => (value === undefined ? "" : value ? "yes" : "no");

export function ClaimsFilters({ filter, canSearchPii }: { filter: ClaimsFilter; canSearchPii: boolean }) {
  const { searchParams, navigate, isPending, focusResultsAfterNavigation } = useTableUrl();
  const id = useId();
  const states = filter.triageStates?.join(",") ?? "";
  const customStates = states && states !== OUTSTANDING && !(TRIAGE_STATES as readonly string[]).includes(states);

  function apply(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim() || undefined;
    const batch = Number(text("batch"));
    const next = writeClaimsFilter(searchParams, {
      q: text("q"),
      formTypes: text("form") ? [text("form") as FormType] : undefined,
      triageStates: text("state") ? (text("state")!.split(",") as TriageState[]) : undefined,
      blackHole: yesNo(text("blackHole")),
      failureNotified: yesNo(text("notified")),
      batchId: Number.isSafeInteger(batch) && batch > 0 ? batch : undefined,
      submittedFrom: text("from"),
      submittedTo: text("to"),
      failureReason: filter.failureReason,
    });
    // The form is remounted with the new filter: focus goes to the results it asked for.
    if (next.toString() !== searchParams.toString()) focusResultsAfterNavigation();
    navigate(next);
  }

  function clearReason() {
    navigate(writeClaimsFilter(searchParams, { ...filter, failureReason: undefined }));
  }

  const field = "mt-1 block w-full rounded border border-gray-500 bg-white px-2 py-1.5";
  return (
    <form
      onSubmit={apply}
      aria-label="Filter claims"
      className="space-y-3 rounded border border-base-light bg-white p-4"
    >
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-5">
        <div className="sm:col-span-2 xl:col-span-3">
          <label htmlFor={`${id}-q`} className="font-semibold">
            Search
          </label>
          <input
            id={`${id}-q`}
            name="q"
            type="search"
            defaultValue={filter.q ?? ""}
            maxLength={200}
            aria-describedby={`${id}-q-hint`}
            className={field}
          />
          <p id={`${id}-q-hint`} className="mt-1 text-sm text-muted">
            {canSearchPii
              ? "Claim id, Benefits Intake uuid, veteran's last or full name (accents and case do not matter), e-mail, file number or its last 4."
              : "Claim id or Benefits Intake uuid."}
          </p>
        </div>
        <div>
          <label htmlFor={`${id}-form`} className="font-semibold">
            Form
          </label>
          <select
            id={`${id}-form`}
            name="form"
            defaultValue={filter.formTypes?.length === 1 ? filter.formTypes[0] : ""}
            className={field}
          >
            <option value="">Any form</option>
            {FORM_TYPES.map((f) => (
              <option key={f} value={f}>
                {FORM_TYPE_LABELS[f]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-state`} className="font-semibold">
            Triage state
          </label>
          <select id={`${id}-state`} name="state" defaultValue={states} className={field}>
            <option value="">Any state</option>
            <option value={OUTSTANDING}>Outstanding (never tried, failed)</option>
            {TRIAGE_STATES.map((s) => (
              <option key={s} value={s}>
                {TRIAGE_STATE_LABELS[s]}
              </option>
            ))}
            {customStates && (
              <option value={states}>{filter.triageStates!.map((s) => TRIAGE_STATE_LABELS[s]).join(" or ")}</option>
            )}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-bh`} className="font-semibold">
            Black hole
          </label>
          <select id={`${id}-bh`} name="blackHole" defaultValue={yesNoValue(filter.blackHole)} className={field}>
            <option value="">Either</option>
            <option value="yes">Yes: shown as a success, never told</option>
            <option value="no">No</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-notified`} className="font-semibold">
            Veteran notified
          </label>
          <select
            id={`${id}-notified`}
            name="notified"
            defaultValue={yesNoValue(filter.failureNotified)}
            className={field}
          >
            <option value="">Either</option>
            <option value="yes">Yes</option>
            <option value="no">No: never told</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-batch`} className="font-semibold">
            Batch id
          </label>
          <input
            id={`${id}-batch`}
            name="batch"
            type="number"
            min={1}
            inputMode="numeric"
            defaultValue={filter.batchId ?? ""}
            className={field}
          />
        </div>
        <div>
          <label htmlFor={`${id}-from`} className="font-semibold">
            Submitted from
          </label>
          <input
            id={`${id}-from`}
            name="from"
            type="date"
            defaultValue={filter.submittedFrom ?? ""}
            className={field}
          />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className="font-semibold">
            Submitted to
          </label>
          <input id={`${id}-to`} name="to" type="date" defaultValue={filter.submittedTo ?? ""} className={field} />
        </div>
      </div>
      {filter.failureReason && (
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-semibold">Failure reason:</span>
          <span className="rounded bg-gray-100 px-2 py-0.5 font-mono">{filter.failureReason}</span>
          <button type="button" onClick={clearReason} className="font-semibold text-primary-dark underline">
            Remove<span className="sr-only"> failure reason filter</span>
          </button>
        </p>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={isPending}
          className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark disabled:bg-gray-400"
        >
          Apply filters
        </button>
        {!isEmptyFilter(filter) && (
          <Link href="/claims" className="font-semibold text-primary-dark underline">
            Clear all filters
          </Link>
        )}
        {isPending && (
          <span role="status" className="text-sm text-muted">
            Loading…
          </span>
        )}
      </div>
    </form>
  );
}
