import { z } from "zod";
import type { ClaimSortId, ClaimsFilter } from "@/db/queries/claims-list";
import { formTypeEnum, triageStateEnum } from "@/db/schema/enums";
import { isCalendarDay } from "../calendar-day";
import { storableText } from "../storable-text";

// The claims filter as data: validated with zod wherever it crosses a boundary (the URL, a server
// action, a stored batch filter). Enum options come from the drizzle enums, so a new state or form
// shows up here without a second list to keep in step.

export const FORM_TYPES = formTypeEnum.enumValues;
export const TRIAGE_STATES = triageStateEnum.enumValues;

// Must name exactly the sorts claimsOrderBy knows (checked below at compile time).
export const CLAIM_SORT_IDS = [
  "submittedAt",
  "id",
  "formType",
  "triageState",
  "attempts",
] as const satisfies readonly ClaimSortId[];
type MissingSort = Exclude<ClaimSortId, (typeof CLAIM_SORT_IDS)[number]>;
const sortsComplete: MissingSort extends never ? true : never = true;
void sortsComplete;

const isoDate = z.string().refine(isCalendarDay, "not a date (use YYYY-MM-DD, from 1900 to 2999)");

// What a client may send. frozenAt is not here: only the server sets it, at confirmation.
export const claimsFilterSchema = z
  .object({
    formTypes: z.array(z.enum(FORM_TYPES)).max(FORM_TYPES.length).optional(),
    triageStates: z.array(z.enum(TRIAGE_STATES)).max(TRIAGE_STATES.length).optional(),
    blackHole: z.boolean().optional(),
    failureNotified: z.boolean().optional(),
    failureReason: storableText(z.string().min(1).max(300), "The failure reason").optional(),
    batchId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    submittedFrom: isoDate.optional(),
    submittedTo: isoDate.optional(),
    q: storableText(z.string().trim().min(1).max(200), "The search").optional(),
  })
  .strict();

// The schema and db's ClaimsFilter (less frozenAt, which only the server sets) must name the same
// fields with the same types: a field added to one and not the other is a compile error here.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaMatchesFilter: Same<z.infer<typeof claimsFilterSchema>, Omit<ClaimsFilter, "frozenAt">> = true;
void schemaMatchesFilter;

// Drop empty values so two equal filters compare (and serialise) equal.
export function normaliseFilter(filter: ClaimsFilter): ClaimsFilter {
  const out: ClaimsFilter = {};
  if (filter.formTypes?.length) out.formTypes = [...new Set(filter.formTypes)].sort();
  if (filter.triageStates?.length) out.triageStates = [...new Set(filter.triageStates)].sort();
  if (filter.blackHole !== undefined) out.blackHole = filter.blackHole;
  if (filter.failureNotified !== undefined) out.failureNotified = filter.failureNotified;
  if (filter.failureReason) out.failureReason = filter.failureReason;
  if (filter.batchId !== undefined) out.batchId = filter.batchId;
  if (filter.submittedFrom) out.submittedFrom = filter.submittedFrom;
  if (filter.submittedTo) out.submittedTo = filter.submittedTo;
  if (filter.q?.trim()) out.q = filter.q.trim();
  if (filter.frozenAt) out.frozenAt = filter.frozenAt;
  return out;
}

export function isEmptyFilter(filter: ClaimsFilter) {
  return Object.keys(normaliseFilter(filter)).filter((k) => k !== "frozenAt").length === 0;
}

export function withoutReason(filter: ClaimsFilter): ClaimsFilter {
  const { failureReason: _omit, ...rest } = filter;
  void _omit;
  return rest;
}
