import type { ClaimsFilter } from "@/db/queries/claims-list";
import { FORM_TYPE_LABELS, TRIAGE_STATE_LABELS } from "./labels";

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}…` : text);

// Said in place of a claims search: the text is a last name or a file number, and the words below
// become batch names and frozen filter descriptions that every role reads.
const SEARCH_TEXT_HIDDEN = "search text (not shown)";

// A filter in words, for batch names, the batch page and the confirmation dialog. Never the search
// text itself (the audit log keeps the filter as it was, for admins).
export function describeFilter(filter: ClaimsFilter): string {
  const parts: string[] = [];
  if (filter.formTypes?.length)
    parts.push(`form ${filter.formTypes.map((f) => FORM_TYPE_LABELS[f].split(" ")[0]).join(" or ")}`);
  if (filter.triageStates?.length)
    parts.push(`state ${filter.triageStates.map((s) => TRIAGE_STATE_LABELS[s].toLowerCase()).join(" or ")}`);
  if (filter.blackHole !== undefined) parts.push(filter.blackHole ? "in the black hole" : "not in the black hole");
  if (filter.failureNotified !== undefined)
    parts.push(filter.failureNotified ? "veteran told of the failure" : "veteran never told");
  if (filter.failureReason) parts.push(`reason “${shorten(filter.failureReason, 60)}”`);
  if (filter.batchId !== undefined) parts.push(`batch #${filter.batchId}`);
  if (filter.submittedFrom && filter.submittedTo)
    parts.push(`submitted ${filter.submittedFrom} to ${filter.submittedTo}`);
  else if (filter.submittedFrom) parts.push(`submitted from ${filter.submittedFrom}`);
  else if (filter.submittedTo) parts.push(`submitted up to ${filter.submittedTo}`);
  if (filter.q) parts.push(SEARCH_TEXT_HIDDEN);
  return parts.length ? parts.join(", ") : "no filter (every claim)";
}
