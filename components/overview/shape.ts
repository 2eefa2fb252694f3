import type {
  AttemptsDayRow,
  ClaimOutcomeRow,
  FailureReasonRow,
  OutstandingPoint,
  VbmsBucketRow,
} from "@/db/queries/overview";
import {
  type AttemptStatus,
  attemptStatusEnum,
  formTypeEnum,
  type TriageState,
  triageStateEnum,
} from "@/db/schema/enums";
import type { AttemptsDay, BurnDownPoint, FormOutcome, HistogramBar, ReasonBar } from "./charts";
import { ATTEMPT_STATUS_LABEL, TRIAGE_LABEL, whole } from "./palette";

// Query rows -> chart data and the words that describe it (the charts' text alternatives).

const pct = (part: number, whole_: number) => (whole_ ? `${Math.round((part / whole_) * 100)}%` : "0%");

export function shapeBurnDown(history: OutstandingPoint[], today: string, outstandingNow: number) {
  const data: BurnDownPoint[] = [...history.filter((p) => p.day < today), { day: today, outstanding: outstandingNow }];
  const first = data[0];
  const change = first.outstanding - outstandingNow;
  const moved = change >= 0 ? `${whole.format(change)} fewer` : `${whole.format(-change)} more`;
  const summary =
    data.length < 2
      ? `${whole.format(outstandingNow)} claims outstanding today.`
      : `${whole.format(first.outstanding)} outstanding on ${first.day}, ${whole.format(outstandingNow)} today: ` +
        `${moved} (${pct(Math.abs(change), first.outstanding)}).`;
  return { data, summary, rows: [...data].reverse().map((p) => [p.day, p.outstanding]) };
}

export function shapeAttempts(rows: AttemptsDayRow[], today: string, days = 60) {
  const statuses = attemptStatusEnum.enumValues.filter((s) => rows.some((r) => r.status === s && r.attempts > 0));
  const ORDER: AttemptStatus[] = ["vbms", "success", "submitted", "pending", "failure", "error", "expired"];
  statuses.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const byDay = new Map<string, AttemptsDay>();
  const end = new Date(`${today}T00:00:00Z`);
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(end.getTime() - i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day });
  }
  for (const r of rows) {
    const entry = byDay.get(r.day);
    if (entry) entry[r.status] = (entry[r.status] ?? 0) + r.attempts;
  }
  const data = [...byDay.values()];
  const totals = data.map((d) => statuses.reduce((n, s) => n + (d[s] ?? 0), 0));
  const total = totals.reduce((a, b) => a + b, 0);
  const busiest = totals.indexOf(Math.max(...totals));
  const failed = rows
    .filter((r) => r.status === "failure" || r.status === "error" || r.status === "expired")
    .reduce((n, r) => n + r.attempts, 0);
  const summary =
    total === 0
      ? `No backup attempts in the last ${days} days.`
      : `${whole.format(total)} attempts in the last ${days} days; ` +
        `the busiest day was ${data[busiest].day} with ${whole.format(totals[busiest])}. ` +
        `${whole.format(failed)} (${pct(failed, total)}) failed, errored or expired.`;
  const tableRows = data
    .flatMap((d, i) => (totals[i] ? [[d.day, ...statuses.map((s) => d[s] ?? 0), totals[i]]] : []))
    .reverse();
  return {
    data,
    statuses,
    summary,
    columns: ["Day (UTC)", ...statuses.map((s) => ATTEMPT_STATUS_LABEL[s]), "Total"],
    rows: tableRows,
  };
}

export function shapeOutcomes(rows: ClaimOutcomeRow[]) {
  const states = triageStateEnum.enumValues.filter((s) => rows.some((r) => r.triageState === s && r.claims > 0));
  const data: FormOutcome[] = formTypeEnum.enumValues.map((formType) => {
    const entry: FormOutcome = { formType };
    for (const r of rows) if (r.formType === formType) entry[r.triageState] = r.claims;
    return entry;
  });
  const totalOf = (d: FormOutcome) => states.reduce((n, s) => n + (d[s] ?? 0), 0);
  const summary = data
    .filter((d) => totalOf(d) > 0)
    .map((d) => {
      const outstanding = (d.never_tried ?? 0) + (d.failed ?? 0);
      const confirmed = pct(d.confirmed ?? 0, totalOf(d));
      return (
        `${d.formType}: ${confirmed} of ${whole.format(totalOf(d))} confirmed in VBMS, ` +
        `${whole.format(outstanding)} outstanding`
      );
    })
    .join("; ");
  const resubmitted = (formType: string) =>
    rows.filter((r) => r.formType === formType).reduce((n, r) => n + r.resubmitted, 0);
  return {
    data,
    states,
    summary: summary ? `${summary}.` : "No claims yet.",
    columns: ["Form", ...states.map((s: TriageState) => TRIAGE_LABEL[s]), "Total", "Uploaded by the backup flow"],
    rows: data.map((d) => [d.formType, ...states.map((s) => d[s] ?? 0), totalOf(d), resubmitted(d.formType)]),
  };
}

export function shapeReasons(rows: FailureReasonRow[]) {
  const data: ReasonBar[] = rows.map((r) => {
    const reason = r.reason ?? "(no reason recorded)";
    return { reason, label: reason.length > 48 ? `${reason.slice(0, 47)}…` : reason, claims: r.claims };
  });
  const summary = data.length
    ? `Most common: “${data[0].reason}” (${whole.format(data[0].claims)} outstanding claims).`
    : "No outstanding claims.";
  return { data, summary, rows: data.map((d) => [d.reason, d.claims]) };
}

function bucketLabel(b: VbmsBucketRow) {
  const h = (n: number) => (n < 24 ? `${n} h` : `${n / 24} d`);
  if (b.toHours === null) return `≥ ${h(b.fromHours)}`;
  if (b.fromHours === 0) return `< ${h(b.toHours)}`;
  return b.fromHours < 24 && b.toHours <= 24
    ? `${b.fromHours}–${b.toHours} h`
    : `${b.fromHours / 24}–${b.toHours / 24} d`;
}

export function shapeVbms(rows: VbmsBucketRow[]) {
  const data: HistogramBar[] = rows.map((b) => ({ label: bucketLabel(b), uploads: b.uploads }));
  const total = rows.reduce((n, b) => n + b.uploads, 0);
  const within = (hours: number) =>
    rows.filter((b) => b.toHours !== null && b.toHours <= hours).reduce((n, b) => n + b.uploads, 0);
  let running = 0;
  const median = rows.find((b) => {
    running += b.uploads;
    return running >= total / 2;
  });
  const summary = total
    ? `${whole.format(total)} uploads reached VBMS: ${pct(within(24), total)} within a day, ` +
      `${pct(within(48), total)} within two days; the median took ${median ? bucketLabel(median) : "—"}.`
    : "No upload has reached VBMS yet.";
  return { data, summary, rows: data.map((d) => [d.label, d.uploads]) };
}
