import type { ClaimSortId, ClaimsFilter } from "@/db/queries/claims-list";
import type { FormType, TriageState } from "@/db/schema/enums";
import {
  parseTableSearch,
  type SearchParamsInput,
  TABLE_KEYS,
  type TableSearch,
  type TableSearchOptions,
  toUrlSearchParams,
  writeTableSearch,
} from "../table/search-params";
import { CLAIM_SORT_IDS, claimsFilterSchema, FORM_TYPES, normaliseFilter, TRIAGE_STATES } from "./filters";

// The claims list's URL: one parser for the server page, the client table, the filter bar and the
// CSV export. A hand-edited or stale link never errors: values that do not parse are dropped.

export const CLAIMS_TABLE_OPTIONS: TableSearchOptions<ClaimSortId> = {
  sortIds: CLAIM_SORT_IDS,
  defaultSort: { id: "submittedAt", desc: true },
  pageSizes: [10, 25, 50, 100],
  defaultPageSize: 25,
  maxPage: 40_000,
};

export const FILTER_KEYS = {
  formTypes: "form",
  triageStates: "state",
  blackHole: "blackHole",
  failureNotified: "notified",
  failureReason: "reason",
  batchId: "batch",
  submittedFrom: "from",
  submittedTo: "to",
  q: "q",
} as const;

export type ClaimsSearch = { filter: ClaimsFilter; table: TableSearch<ClaimSortId> };

function yesNo(raw: string | null): boolean | undefined {
  return raw === "yes" ? true : raw === "no" ? false : undefined;
}

function list<T extends string>(raw: string | null, allowed: readonly T[]): T[] | undefined {
  if (!raw) return undefined;
  const values = raw.split(",").filter((v): v is T => (allowed as readonly string[]).includes(v));
  return values.length ? values : undefined;
}

export function parseClaimsFilter(input: SearchParamsInput): ClaimsFilter {
  const p = toUrlSearchParams(input);
  const batch = Number(p.get(FILTER_KEYS.batchId));
  const candidate: Record<string, unknown> = {
    formTypes: list<FormType>(p.get(FILTER_KEYS.formTypes), FORM_TYPES),
    triageStates: list<TriageState>(p.get(FILTER_KEYS.triageStates), TRIAGE_STATES),
    blackHole: yesNo(p.get(FILTER_KEYS.blackHole)),
    failureNotified: yesNo(p.get(FILTER_KEYS.failureNotified)),
    failureReason: p.get(FILTER_KEYS.failureReason) || undefined,
    batchId: Number.isSafeInteger(batch) && batch > 0 ? batch : undefined,
    submittedFrom: p.get(FILTER_KEYS.submittedFrom) || undefined,
    submittedTo: p.get(FILTER_KEYS.submittedTo) || undefined,
    q: p.get(FILTER_KEYS.q)?.trim() || undefined,
  };
  // Field by field, so one bad value does not throw the others away.
  const filter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidate)) {
    if (value === undefined) continue;
    const field = claimsFilterSchema.shape[key as keyof typeof claimsFilterSchema.shape];
    const parsed = field.safeParse(value);
    if (parsed.success && parsed.data !== undefined) filter[key] = parsed.data;
  }
  return normaliseFilter(filter as ClaimsFilter);
}

export function parseClaimsSearch(input: SearchParamsInput): ClaimsSearch {
  return { filter: parseClaimsFilter(input), table: parseTableSearch(input, CLAIMS_TABLE_OPTIONS) };
}

// Replaces the filter keys of params; a changed filter always starts again at page 1.
export function writeClaimsFilter(params: URLSearchParams, filter: ClaimsFilter): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of Object.values(FILTER_KEYS)) next.delete(key);
  const f = normaliseFilter(filter);
  if (f.formTypes) next.set(FILTER_KEYS.formTypes, f.formTypes.join(","));
  if (f.triageStates) next.set(FILTER_KEYS.triageStates, f.triageStates.join(","));
  if (f.blackHole !== undefined) next.set(FILTER_KEYS.blackHole, f.blackHole ? "yes" : "no");
  if (f.failureNotified !== undefined) next.set(FILTER_KEYS.failureNotified, f.failureNotified ? "yes" : "no");
  if (f.failureReason) next.set(FILTER_KEYS.failureReason, f.failureReason);
  if (f.batchId !== undefined) next.set(FILTER_KEYS.batchId, String(f.batchId));
  if (f.submittedFrom) next.set(FILTER_KEYS.submittedFrom, f.submittedFrom);
  if (f.submittedTo) next.set(FILTER_KEYS.submittedTo, f.submittedTo);
  if (f.q) next.set(FILTER_KEYS.q, f.q);
  for (const key of [TABLE_KEYS.page, TABLE_KEYS.after, TABLE_KEYS.before]) next.delete(key);
  return next;
}

export function claimsSearchToParams(search: ClaimsSearch): URLSearchParams {
  return writeTableSearch(writeClaimsFilter(new URLSearchParams(), search.filter), search.table, CLAIMS_TABLE_OPTIONS);
}

export function claimsHref(search: ClaimsSearch, path = "/claims") {
  const qs = claimsSearchToParams(search).toString();
  return qs ? `${path}?${qs}` : path;
}
