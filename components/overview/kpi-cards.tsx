import Link from "next/link";
import { whole } from "./palette";

// The overview's key figures. Silent failures must read 0: anything else is an alarm, shown red
// with a way straight to those claims.

export type Kpi = {
  id: string;
  label: string;
  value: number;
  hint: string;
  href?: string;
  linkText?: string;
  alarm?: boolean;
  ok?: boolean;
};

export function KpiCard({ kpi }: { kpi: Kpi }) {
  const tone = kpi.alarm
    ? "border-error bg-red-50"
    : kpi.ok
      ? "border-success-dark bg-green-50"
      : "border-base-light bg-white";
  return (
    <div className={`flex flex-col rounded border-2 p-4 ${tone}`} data-testid={`kpi-${kpi.id}`}>
      <dt className="min-h-12 font-semibold">{kpi.label}</dt>
      <dd className={`text-4xl font-bold tabular-nums ${kpi.alarm ? "text-error" : ""}`}>{whole.format(kpi.value)}</dd>
      <dd className="mt-1 text-sm">{kpi.hint}</dd>
      {kpi.href && (
        <dd className="mt-auto pt-2 text-sm">
          <Link href={kpi.href} className={`font-semibold underline ${kpi.alarm ? "text-error" : "text-primary-dark"}`}>
            {kpi.linkText ?? "Open in the claims list"}
          </Link>
        </dd>
      )}
    </div>
  );
}

export function KpiSkeleton({ label }: { label: string }) {
  return (
    <div className="flex flex-col rounded border-2 border-base-light bg-white p-4">
      <dt className="min-h-12 font-semibold">{label}</dt>
      <dd className="mt-1 h-10 w-32 animate-pulse rounded bg-gray-200">
        <span className="sr-only">Loading…</span>
      </dd>
    </div>
  );
}
