import { type SearchParamsInput, TABLE_KEYS, toUrlSearchParams } from "../table/search-params";
import { FORM_TYPES, TRIAGE_STATES } from "./filters";
import { CLAIMS_TABLE_OPTIONS, type ClaimsSearch, FILTER_KEYS } from "./search-params";

// The parsers are lenient: a hand-edited or stale link never errors, and a value that does not
// parse is left out. This says what was left out, and which parameter held it, so the page can tell
// the person instead of quietly showing another list than the one they asked for.

export type UrlProblem = { param: string; value: string; message: string };

const FIELD_NAMES: Record<string, string> = {
  [FILTER_KEYS.submittedFrom]: "Submitted from",
  [FILTER_KEYS.submittedTo]: "Submitted to",
  [FILTER_KEYS.formTypes]: "Form",
  [FILTER_KEYS.triageStates]: "Triage state",
  [FILTER_KEYS.blackHole]: "Black hole",
  [FILTER_KEYS.failureNotified]: "Veteran notified",
  [FILTER_KEYS.batchId]: "Batch id",
  [FILTER_KEYS.failureReason]: "Failure reason",
  [FILTER_KEYS.q]: "Search",
};

const shorten = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}…` : text);

function ignored(param: string, value: string, what: string): UrlProblem {
  const field = FIELD_NAMES[param];
  return {
    param,
    value,
    message: `“${shorten(value)}” in ${field ? `${field} (${param}=)` : `${param}=`} is not ${what}, so it was ignored.`,
  };
}

export function claimsUrlProblems(input: SearchParamsInput, search: ClaimsSearch): UrlProblem[] {
  const params = toUrlSearchParams(input);
  const { filter, table } = search;
  const problems: UrlProblem[] = [];
  const raw = (key: string) => params.get(key)?.trim() || null;

  for (const [key, parsed] of [
    [FILTER_KEYS.submittedFrom, filter.submittedFrom],
    [FILTER_KEYS.submittedTo, filter.submittedTo],
  ] as const) {
    const value = raw(key);
    if (value && !parsed) problems.push(ignored(key, value, "a date this list understands (use YYYY-MM-DD)"));
  }
  for (const [key, allowed, what] of [
    [FILTER_KEYS.formTypes, FORM_TYPES as readonly string[], "a form type"],
    [FILTER_KEYS.triageStates, TRIAGE_STATES as readonly string[], "a triage state"],
  ] as const) {
    const bad = (raw(key) ?? "").split(",").filter((v) => v && !allowed.includes(v));
    if (bad.length) problems.push(ignored(key, bad.join(","), what));
  }
  for (const [key, parsed] of [
    [FILTER_KEYS.blackHole, filter.blackHole],
    [FILTER_KEYS.failureNotified, filter.failureNotified],
  ] as const) {
    const value = raw(key);
    if (value && parsed === undefined) problems.push(ignored(key, value, "yes or no"));
  }
  const batch = raw(FILTER_KEYS.batchId);
  if (batch && filter.batchId === undefined) problems.push(ignored(FILTER_KEYS.batchId, batch, "a batch number"));
  const reason = params.get(FILTER_KEYS.failureReason);
  if (reason && !filter.failureReason) problems.push(ignored(FILTER_KEYS.failureReason, reason, "a failure reason"));
  const q = raw(FILTER_KEYS.q);
  if (q && !filter.q) problems.push(ignored(FILTER_KEYS.q, q, "something the search can take"));

  if (filter.submittedFrom && filter.submittedTo && filter.submittedFrom > filter.submittedTo) {
    problems.push({
      param: `${FILTER_KEYS.submittedFrom}`,
      value: filter.submittedFrom,
      message:
        `Submitted from (${filter.submittedFrom}) is after submitted to (${filter.submittedTo}), ` +
        "so no claim can match. Swap the two dates to see the claims between them.",
    });
  }

  const sort = raw(TABLE_KEYS.sort);
  const sortText = `${table.sort.id}.${table.sort.desc ? "desc" : "asc"}`;
  if (sort && sort !== sortText) problems.push(ignored(TABLE_KEYS.sort, sort, "a sort this list offers"));
  const size = raw(TABLE_KEYS.size);
  if (size && Number(size) !== table.pageSize)
    problems.push(ignored(TABLE_KEYS.size, size, `a page size (${CLAIMS_TABLE_OPTIONS.pageSizes.join(", ")})`));
  const page = raw(TABLE_KEYS.page);
  if (page && Number(page) !== table.pageIndex + 1) {
    const n = Number(page);
    problems.push(
      Number.isInteger(n) && n > (CLAIMS_TABLE_OPTIONS.maxPage ?? Number.POSITIVE_INFINITY)
        ? {
            param: TABLE_KEYS.page,
            value: page,
            message: `Page ${page} is beyond the furthest page this list opens; page ${table.pageIndex + 1} is shown instead.`,
          }
        : ignored(TABLE_KEYS.page, page, "a page number"),
    );
  }
  return problems;
}

// The same URL with the two dates the other way round.
export function swappedDatesParams(input: SearchParamsInput): URLSearchParams {
  const params = toUrlSearchParams(input);
  const from = params.get(FILTER_KEYS.submittedFrom);
  const to = params.get(FILTER_KEYS.submittedTo);
  if (from && to) {
    params.set(FILTER_KEYS.submittedFrom, to);
    params.set(FILTER_KEYS.submittedTo, from);
  }
  for (const key of [TABLE_KEYS.page, TABLE_KEYS.after, TABLE_KEYS.before]) params.delete(key);
  return params;
}
