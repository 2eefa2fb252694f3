"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { ImportReport } from "@/lib/batches/import-retry-list";
import { ConfirmDialog } from "./confirm-dialog";
import { ImportReportView } from "./import-report";
import { number } from "./labels";

// Import a reviewed retry list: choose the file, read the report, then create a draft batch of the
// accepted rows. The file is sent again on confirmation with the hash of what was reviewed, so the
// batch is exactly what the report showed (the server refuses otherwise and returns a new report).

type Reply = { report?: ImportReport; error?: string; fieldErrors?: Record<string, string[]>; batchId?: number };

async function send(fields: Record<string, string>, file: File): Promise<{ status: number; body: Reply }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set("file", file);
  const response = await fetch("/api/batches/import", { method: "POST", body: form });
  const body = (await response.json().catch(() => ({ error: `The server answered ${response.status}.` }))) as Reply;
  return { status: response.status, body };
}

const FILE_INPUT =
  "mt-1 block text-sm file:mr-3 file:rounded file:border-2 file:border-primary file:bg-white file:px-3 file:py-1.5 " +
  "file:font-semibold file:text-primary-dark hover:file:bg-blue-50";

export function RetryListImport({ defaultRate }: { defaultRate: number }) {
  const router = useRouter();
  const ids = { file: useId(), name: useId(), reason: useId(), rate: useId() };
  const [file, setFile] = useState<File | null>(null);
  const [dedupe, setDedupe] = useState<"newest" | "keep_all">("newest");
  const choose = (value: typeof dedupe) => () => setDedupe(value);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [reason, setReason] = useState("");
  const [rate, setRate] = useState(String(defaultRate));
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  const review = () => {
    if (!file) return setError("Choose a CSV file first.");
    setError(null);
    setReport(null);
    startTransition(async () => {
      const { body } = await send({ mode: "preview", dedupe }, file);
      if (body.report) {
        setReport(body.report);
        setName((n) => n || `Retry list ${file.name.replace(/\.csv$/i, "")}`);
      } else setError(body.error ?? "The file could not be checked.");
    });
  };

  const create = () => {
    if (!file || !report) return;
    setConfirmError(null);
    startTransition(async () => {
      const { status, body } = await send(
        { mode: "confirm", dedupe, reviewedHash: report.acceptedHash, name, reason, ratePerMinute: rate },
        file,
      );
      if (body.batchId) {
        router.push(`/batches/${body.batchId}`);
        return;
      }
      if (status === 409 && body.report) setReport(body.report);
      const fields = body.fieldErrors ? ` ${Object.values(body.fieldErrors).flat().join(" ")}` : "";
      setConfirmError(`${body.error ?? "The batch could not be created."}${fields}`);
    });
  };

  return (
    <div className="space-y-4">
      <form
        className="space-y-3 rounded border border-base-light bg-white p-4"
        onSubmit={(e) => {
          e.preventDefault();
          review();
        }}
      >
        <h2 className="text-xl font-bold">1. Choose the list</h2>
        <div>
          <label htmlFor={ids.file} className="block font-semibold">
            Retry list (CSV)
          </label>
          <p className="text-sm text-muted" id={`${ids.file}-hint`}>
            One claim id a row, with an optional note: header <code>claim_id,note</code> (or no header). At most 5 MB
            and 100,000 rows.
          </p>
          <input
            id={ids.file}
            aria-describedby={`${ids.file}-hint`}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setReport(null);
              setError(null);
            }}
            className={FILE_INPUT}
          />
        </div>
        <fieldset>
          <legend className="font-semibold">Several claims of the same veteran (same file number)</legend>
          <label className="mt-1 flex items-center gap-2">
            <input type="radio" name="dedupe" checked={dedupe === "newest"} onChange={choose("newest")} /> Keep the
            newest submitted, report the others
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="dedupe" checked={dedupe === "keep_all"} onChange={choose("keep_all")} /> Keep them
            all
          </label>
        </fieldset>
        <button
          type="submit"
          disabled={isPending}
          className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark disabled:opacity-60"
        >
          {isPending && !report ? "Checking…" : "Check the list"}
        </button>
        {error && (
          <p role="alert" className="rounded border-l-4 border-error bg-red-50 p-3">
            {error}
          </p>
        )}
      </form>

      {report && <ImportReportView report={report} />}

      {report && (
        <form
          className="space-y-3 rounded border border-base-light bg-white p-4"
          onSubmit={(e) => {
            e.preventDefault();
            setConfirmError(null);
            setConfirming(true);
          }}
        >
          <h2 className="text-xl font-bold">2. Create a draft batch</h2>
          {report.acceptedCount === 0 ? (
            <p role="alert">
              No row was accepted, so there is nothing to put in a batch. Fix the list and check it again.
            </p>
          ) : (
            <>
              <p>
                The batch is created as a draft with the {number.format(report.acceptedCount)} accepted claims. Nothing
                is sent until someone starts it.
              </p>
              <div>
                <label htmlFor={ids.name} className="block font-semibold">
                  Batch name
                </label>
                <input
                  id={ids.name}
                  required
                  maxLength={200}
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  className="mt-1 w-full max-w-lg rounded border border-gray-500 px-2 py-1.5"
                />
              </div>
              <div>
                <label htmlFor={ids.reason} className="block font-semibold">
                  Reason (required)
                </label>
                <p className="text-sm text-muted">Kept in the audit log, for example the ticket of the VA review.</p>
                <textarea
                  id={ids.reason}
                  required
                  maxLength={500}
                  rows={2}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  className="mt-1 w-full max-w-lg rounded border border-gray-500 p-2"
                />
              </div>
              <div>
                <label htmlFor={ids.rate} className="block font-semibold">
                  Rate (claims per minute)
                </label>
                <input
                  id={ids.rate}
                  type="number"
                  required
                  min={1}
                  max={10000}
                  step={1}
                  value={rate}
                  onChange={(e) => setRate(e.target.value)}
                  className="mt-1 w-32 rounded border border-gray-500 px-2 py-1.5"
                />
              </div>
              <button
                type="submit"
                className="rounded bg-primary px-4 py-2 font-semibold text-white hover:bg-primary-dark"
              >
                Create draft batch
              </button>
            </>
          )}
        </form>
      )}

      <ConfirmDialog
        open={confirming}
        title="Create this draft batch?"
        confirmLabel="Create draft batch"
        askReason={false}
        pending={isPending}
        error={confirmError}
        onConfirm={create}
        onClose={() => setConfirming(false)}
      >
        <p>
          “{name}” with {number.format(report?.acceptedCount ?? 0)} claims, at {rate} claims per minute. It stays a
          draft until someone starts it from the batch page.
        </p>
      </ConfirmDialog>
    </div>
  );
}
