// A YYYY-MM-DD a person may filter on: a real calendar day (2022-02-30 is not; JS would roll it
// over to March), in years PostgreSQL takes as a bound together with the day after it (year 0000
// and 9999-12-31 + 1 day made queries fail).
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s) && s >= "1900" && s < "3000";
}
