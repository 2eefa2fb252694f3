import Link from "next/link";
import type { AlertEpisodeRow } from "@/db/queries/alerts";
import { ALERT_RULE_LABEL, type AlertRuleId } from "@/lib/alerts/rules";

const time = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: "UTC",
});

// Shown to everyone on every page while an alert fires (the worker opens and clears episodes).
export function AlertBanner({ alerts }: { alerts: AlertEpisodeRow[] }) {
  if (alerts.length === 0) return null;
  return (
    <section aria-label="Alerts firing" className="border-b-4 border-error bg-red-50" data-testid="alert-banner">
      <ul className="mx-auto max-w-screen-2xl space-y-1 px-4 py-2 text-sm sm:px-6">
        {alerts.map((a) => (
          <li key={a.id} data-testid="alert" className="flex flex-wrap items-baseline gap-x-2">
            <strong className="text-red-900">Alert: {ALERT_RULE_LABEL[a.rule as AlertRuleId] ?? a.rule}.</strong>
            <span>{a.summary}</span>
            <span className="text-muted">Since {time.format(a.startedAt)} UTC.</span>
            <Link href={a.link} className="font-semibold text-red-900 underline">
              Look into it
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
