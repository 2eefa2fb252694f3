"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import type { GroupOwnerOption } from "@/db/queries/failure-groups";
import { updateFailureGroup } from "@/lib/actions/failure-groups/update-failure-group";
import {
  FAILURE_GROUP_STATUS_LABEL,
  FAILURE_GROUP_STATUSES,
  type FailureGroupStatus,
} from "@/lib/failure-groups/lifecycle";

type Props = {
  fingerprint: string;
  status: FailureGroupStatus;
  ownerUserId: number | null;
  notes: string | null;
  ticketUrl: string | null;
  ignoreUntilDay: string | null;
  ignoreUntilCount: number | null;
  owners: GroupOwnerOption[];
  me: number;
};

const FIELD = "mt-1 w-full rounded border border-gray-500 p-2";

// Owning a group: who looks after it, where it stands, what was learned, and the ticket. Saved in one
// go and audited with what changed.
export function GroupForm(props: Props) {
  const id = useId();
  const router = useRouter();
  const [status, setStatus] = useState<FailureGroupStatus>(props.status);
  const [ignoreKind, setIgnoreKind] = useState<"day" | "count">(props.ignoreUntilCount !== null ? "count" : "day");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const messageRef = useRef<HTMLParagraphElement>(null);
  // The result takes focus once it is on the page, so the Save button's press is answered where the
  // keyboard is (the button itself is disabled while saving and would drop focus to the body).
  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const owner = String(form.get("owner") ?? "");
    const ignoring = status === "ignored";
    const day = String(form.get("ignoreUntilDay") ?? "");
    const count = Number(form.get("ignoreUntilCount") ?? "");
    startTransition(async () => {
      const result = await updateFailureGroup({
        fingerprint: props.fingerprint,
        status,
        ownerUserId: owner ? Number(owner) : null,
        notes: String(form.get("notes") ?? ""),
        ticketUrl: String(form.get("ticketUrl") ?? ""),
        ignoreUntilDay: ignoring && ignoreKind === "day" && day ? day : null,
        ignoreUntilCount: ignoring && ignoreKind === "count" && count > 0 ? count : null,
      });
      if ("error" in result) {
        const details = result.fieldErrors ? ` ${Object.values(result.fieldErrors).flat().join(" ")}` : "";
        setMessage({ ok: false, text: `${result.error}${details}` });
      } else {
        setMessage({ ok: true, text: result.data.changed.length ? "Saved." : "Nothing had changed." });
        router.refresh();
      }
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4 rounded border border-base-light bg-white p-4" noValidate>
      <h2 className="text-xl font-bold">Ownership</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <div>
          <label htmlFor={`${id}-status`} className="block font-semibold">
            Status
          </label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => setStatus(e.target.value as FailureGroupStatus)}
            className={FIELD}
          >
            {FAILURE_GROUP_STATUSES.map((s) => (
              <option key={s} value={s}>
                {FAILURE_GROUP_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-owner`} className="block font-semibold">
            Owner
          </label>
          <select id={`${id}-owner`} name="owner" defaultValue={props.ownerUserId ?? ""} className={FIELD}>
            <option value="">Nobody</option>
            {props.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.id === props.me ? `${o.name} (me)` : o.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {status === "ignored" && (
        <fieldset className="rounded border border-base-light p-3">
          <legend className="px-1 font-semibold">Ignore until</legend>
          <div className="flex flex-wrap items-center gap-4">
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="ignoreKind"
                checked={ignoreKind === "day"}
                onChange={() => setIgnoreKind("day")}
                className="h-4 w-4"
              />
              a day
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="ignoreKind"
                checked={ignoreKind === "count"}
                onChange={() => setIgnoreKind("count")}
                className="h-4 w-4"
              />
              a number of new failures
            </label>
          </div>
          {ignoreKind === "day" ? (
            <div className="mt-2">
              <label htmlFor={`${id}-day`} className="block text-sm">
                Day (UTC)
              </label>
              <input
                id={`${id}-day`}
                type="date"
                name="ignoreUntilDay"
                defaultValue={props.ignoreUntilDay ?? ""}
                className="rounded border border-gray-500 p-2"
              />
            </div>
          ) : (
            <div className="mt-2">
              <label htmlFor={`${id}-count`} className="block text-sm">
                New failures
              </label>
              <input
                id={`${id}-count`}
                type="number"
                min={1}
                name="ignoreUntilCount"
                defaultValue={props.ignoreUntilCount ?? 10}
                className="w-32 rounded border border-gray-500 p-2"
              />
            </div>
          )}
        </fieldset>
      )}
      <div>
        <label htmlFor={`${id}-ticket`} className="block font-semibold">
          Ticket link
        </label>
        <input
          id={`${id}-ticket`}
          name="ticketUrl"
          type="url"
          defaultValue={props.ticketUrl ?? ""}
          placeholder="https://"
          className={FIELD}
        />
      </div>
      <div>
        <label htmlFor={`${id}-notes`} className="block font-semibold">
          Notes
        </label>
        <textarea id={`${id}-notes`} name="notes" rows={4} defaultValue={props.notes ?? ""} className={FIELD} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark disabled:bg-gray-400"
        >
          {pending ? "Saving…" : "Save"}
        </button>
        {message && (
          <p
            ref={messageRef}
            tabIndex={-1}
            role={message.ok ? "status" : "alert"}
            className={message.ok ? "font-semibold text-green-800" : "text-error"}
          >
            {message.text}
          </p>
        )}
      </div>
    </form>
  );
}
