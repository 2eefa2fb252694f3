"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import type { AlertEpisodeRow } from "@/db/queries/alerts";
import { ALERT_RULE_LABEL, type AlertRuleId } from "@/lib/alerts/labels";

const time = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: "UTC",
});

type Alert = Pick<AlertEpisodeRow, "id" | "rule" | "summary" | "link"> & { startedAt: string | Date };

const POLL_MS = 30_000;
const SHOWN = 3;

// Shown to everyone on every page while an alert fires (the worker opens and clears episodes). The
// layout renders it with the alerts of the first request; it asks again every 30 s and on each
// navigation, since a shared layout is not rendered again when moving between its pages.
export function AlertBanner({ initial }: { initial: Alert[] }) {
  const [alerts, setAlerts] = useState<Alert[]>(initial);
  const pathname = usePathname();
  useEffect(() => {
    let current = true;
    const load = async () => {
      try {
        const response = await fetch("/api/alerts", { cache: "no-store" });
        if (response.ok && current) setAlerts(((await response.json()) as { alerts: Alert[] }).alerts);
      } catch {
        // Offline for a moment: keep showing what was last known.
      }
    };
    if (pathname) void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [pathname]);
  if (alerts.length === 0) return null;
  // A few lines at most: the rest behind a disclosure, so the page stays usable while many fire.
  const shown = alerts.slice(0, SHOWN);
  const more = alerts.slice(SHOWN);
  return (
    <section aria-label="Alerts firing" className="border-b-4 border-error bg-red-50" data-testid="alert-banner">
      <div className="mx-auto max-w-screen-2xl px-4 py-2 text-sm sm:px-6">
        <ul className="space-y-1">{shown.map(line)}</ul>
        {more.length > 0 && (
          <details className="mt-1">
            <summary className="cursor-pointer font-semibold text-red-900">
              {more.length === 1 ? "1 more alert" : `${more.length} more alerts`}
            </summary>
            <ul className="mt-1 space-y-1">{more.map(line)}</ul>
          </details>
        )}
      </div>
    </section>
  );
}

function line(a: Alert) {
  return (
    <li key={a.id} data-testid="alert" className="flex flex-wrap items-baseline gap-x-2">
      <strong className="text-red-900">Alert: {ALERT_RULE_LABEL[a.rule as AlertRuleId] ?? a.rule}.</strong>
      <span>{a.summary}</span>
      <span className="text-muted">Since {time.format(new Date(a.startedAt))} UTC.</span>
      <Link href={a.link} className="font-semibold text-red-900 underline">
        Look into it
      </Link>
    </li>
  );
}
