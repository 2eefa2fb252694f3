// The claims table's columns a person may hide, in the list's order, with their headers. The claim id
// is always shown: it is the row's name. In the URL as `cols=formType,triageState` (absent = all).

export const COLUMNS_KEY = "cols";

export const HIDEABLE_COLUMNS = [
  { id: "formType", label: "Form" },
  { id: "veteran", label: "Veteran" },
  { id: "submittedAt", label: "Submitted" },
  { id: "failureReason", label: "Primary failure reason" },
  { id: "attempts", label: "Attempts" },
  { id: "latestStatus", label: "Latest status" },
  { id: "batch", label: "Batch" },
  { id: "triageState", label: "Triage state" },
] as const;

export type HideableColumn = (typeof HIDEABLE_COLUMNS)[number]["id"];
const IDS: readonly string[] = HIDEABLE_COLUMNS.map((c) => c.id);

export function isHideableColumn(id: string): id is HideableColumn {
  return IDS.includes(id);
}

// The columns shown, in the table's order; null = every column. Unknown ids are dropped.
export function parseViewColumns(raw: string | null | undefined): HideableColumn[] | null {
  if (!raw) return null;
  const asked = new Set(raw.split(",").filter(isHideableColumn));
  if (asked.size === 0 || asked.size === IDS.length) return null;
  return HIDEABLE_COLUMNS.map((c) => c.id).filter((id) => asked.has(id));
}

// Whether the table shows a column, given the parsed list.
export function showsColumn(shown: readonly string[] | null, id: string): boolean {
  return shown === null || !isHideableColumn(id) || shown.includes(id);
}
