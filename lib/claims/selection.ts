import { z } from "zod";
import { claimsFilterSchema, isEmptyFilter } from "./filters";

// What a triager selected on the claims list, as it travels to the server: explicit ids (a few
// rows or pages) or the filter itself ("all N matching"), never thousands of ids.

export const MAX_SELECTED_IDS = 1_000;

export const claimSelectionSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("ids"),
    ids: z
      .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER))
      .min(1, "Select at least one claim")
      .max(
        MAX_SELECTED_IDS,
        `Select at most ${MAX_SELECTED_IDS} claims by hand; above that, select all matching the filter`,
      ),
  }),
  z.object({
    kind: z.literal("filter"),
    filter: claimsFilterSchema,
    // An empty filter is every claim: the triager must say so in as many words (docs/design.md §6a).
    everything: z.boolean().optional(),
  }),
]);

export type ClaimSelection = z.infer<typeof claimSelectionSchema>;

export function selectionIsEverything(selection: ClaimSelection) {
  return selection.kind === "filter" && isEmptyFilter(selection.filter);
}
