"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { BatchState } from "@/db/schema/enums";
import { cancelBatchAction } from "@/lib/actions/batches/cancel-batch";
import { pauseBatchAction } from "@/lib/actions/batches/pause-batch";
import { resumeBatchAction } from "@/lib/actions/batches/resume-batch";
import { setBatchRateAction } from "@/lib/actions/batches/set-batch-rate";
import { startBatchAction } from "@/lib/actions/batches/start-batch";
import type { ActionResult } from "@/lib/actions/define-action";
import { countOf, plural } from "@/lib/plural";
import { ConfirmDialog } from "./confirm-dialog";
import { number } from "./labels";

// Start, pause, resume, cancel and the rate. Buttons show only what the person's role and the
// batch's state allow, but the server decides: each action checks the role and makes a guarded
// transition, and a refusal (someone else clicked first) comes back as a message here.

type Kind = "start" | "pause" | "resume" | "cancel" | "rate";
type Props = {
  batchId: number;
  state: BatchState;
  ratePerMinute: number;
  pending: number;
  inProgress: number;
  total: number;
  canAct: boolean;
  canCancel: boolean;
};

const OPEN: BatchState[] = ["draft", "queued", "running", "paused"];

export function BatchControls(props: Props) {
  const router = useRouter();
  const rateId = useId();
  const [dialog, setDialog] = useState<Kind | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [rate, setRate] = useState(String(props.ratePerMinute));
  const [isPending, startTransition] = useTransition();

  if (!props.canAct || !OPEN.includes(props.state)) return null;

  const open = (kind: Kind) => {
    setError(null);
    setDone(null);
    setDialog(kind);
  };

  const run = (reason: string) => {
    const kind = dialog;
    if (!kind) return;
    startTransition(async () => {
      const input = { batchId: props.batchId, reason: reason || undefined };
      let result: ActionResult<unknown>;
      if (kind === "start") result = await startBatchAction(input);
      else if (kind === "pause") result = await pauseBatchAction(input);
      else if (kind === "resume") result = await resumeBatchAction(input);
      else if (kind === "cancel") result = await cancelBatchAction(input);
      else result = await setBatchRateAction({ ...input, ratePerMinute: Number(rate) });
      if ("error" in result) {
        const fields = result.fieldErrors ? Object.values(result.fieldErrors).flat().join(" ") : "";
        setError(`${result.error}${fields ? ` ${fields}` : ""}`);
        return;
      }
      setDialog(null);
      setDone(DONE_TEXT[kind]);
      router.refresh();
    });
  };

  const button = (kind: Kind, label: string, style: "primary" | "secondary" | "danger") => (
    <button
      type="button"
      onClick={() => open(kind)}
      className={
        style === "primary"
          ? "rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark"
          : style === "danger"
            ? "rounded border-2 border-error px-4 py-2 font-semibold text-error hover:bg-red-50"
            : "rounded border-2 border-primary px-4 py-2 font-semibold text-primary-dark hover:bg-blue-50"
      }
    >
      {label}
    </button>
  );

  const remaining = props.pending + props.inProgress;
  return (
    <section aria-labelledby={`${rateId}-h`} className="rounded border border-base-light bg-white p-4">
      <h2 id={`${rateId}-h`} className="mb-3 text-lg font-bold">
        Controls
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        {props.state === "draft" && button("start", "Start batch", "primary")}
        {(props.state === "queued" || props.state === "running") && button("pause", "Pause", "secondary")}
        {props.state === "paused" && button("resume", "Resume", "primary")}
        {props.canCancel && button("cancel", "Cancel batch", "danger")}
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            open("rate");
          }}
        >
          <div>
            <label htmlFor={rateId} className="block text-sm font-semibold">
              Rate (claims per minute)
            </label>
            <input
              id={rateId}
              type="number"
              min={1}
              max={10000}
              step={1}
              required
              value={rate}
              onChange={(e) => setRate(e.target.value)}
              className="w-32 rounded border border-gray-500 px-2 py-1.5"
            />
          </div>
          <button
            type="submit"
            className="rounded border-2 border-primary px-3 py-1.5 font-semibold text-primary-dark hover:bg-blue-50"
          >
            Change rate
          </button>
        </form>
      </div>
      <p role="status" className="mt-2 text-sm">
        {done}
      </p>

      <ConfirmDialog
        open={dialog !== null}
        title={dialog ? TITLES[dialog](props.batchId) : ""}
        confirmLabel={dialog ? CONFIRM[dialog] : ""}
        destructive={dialog === "cancel"}
        pending={isPending}
        error={error}
        onConfirm={run}
        onClose={() => setDialog(null)}
      >
        {dialog === "start" && (
          <p>
            {countOf(props.total, "claim")} will be sent through the backup flow, at most{" "}
            {number.format(props.ratePerMinute)} a minute. You can pause at any time.
          </p>
        )}
        {dialog === "pause" && (
          <p>
            No new claims will be started.{" "}
            {props.inProgress === 0
              ? "None is in flight."
              : `${countOf(props.inProgress, "claim")} already in flight ${plural(props.inProgress, "finishes", "finish")} and ${plural(props.inProgress, "records its", "record their")} outcome.`}
          </p>
        )}
        {dialog === "resume" && (
          <p>
            {countOf(remaining, "claim")} {plural(remaining, "is", "are")} left; starting again at{" "}
            {number.format(props.ratePerMinute)} a minute.
          </p>
        )}
        {dialog === "cancel" && (
          <p>
            {countOf(props.pending, "claim")} not started yet {plural(props.pending, "is", "are")} withdrawn from this
            batch; {countOf(props.inProgress, "claim")} in flight still {plural(props.inProgress, "finishes", "finish")}
            . This cannot be undone.
          </p>
        )}
        {dialog === "rate" && (
          <p>
            Change the rate from {number.format(props.ratePerMinute)} to{" "}
            {Number.isFinite(Number(rate)) ? number.format(Number(rate)) : rate} claims per minute. It applies from the
            next claim to start.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}

const TITLES: Record<Kind, (id: number) => string> = {
  start: (id) => `Start batch #${id}?`,
  pause: (id) => `Pause batch #${id}?`,
  resume: (id) => `Resume batch #${id}?`,
  cancel: (id) => `Cancel batch #${id}?`,
  rate: (id) => `Change the rate of batch #${id}?`,
};
const CONFIRM: Record<Kind, string> = {
  start: "Start batch",
  pause: "Pause batch",
  resume: "Resume batch",
  cancel: "Cancel batch",
  rate: "Change rate",
};
const DONE_TEXT: Record<Kind, string> = {
  start: "Batch started.",
  pause: "Batch paused.",
  resume: "Batch resumed.",
  cancel: "Batch cancelled.",
  rate: "Rate changed.",
};
