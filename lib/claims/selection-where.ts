import { inArray, type SQL } from "drizzle-orm";
import { claimsWhere } from "@/db/queries/claims-list";
import { savedClaims } from "@/db/schema";
import type { ClaimSelection } from "./selection";

// A selection as SQL. frozenAt bounds a filter to the claims that existed when the triager
// confirmed, so claims that fail later are not swept in (docs/design.md §6a).
export function selectionWhere(selection: ClaimSelection, options: { piiSearch: boolean; frozenAt?: Date }): SQL {
  if (selection.kind === "ids") return inArray(savedClaims.id, [...new Set(selection.ids)]);
  return claimsWhere(
    { ...selection.filter, frozenAt: options.frozenAt?.toISOString() },
    { piiSearch: options.piiSearch },
  );
}
