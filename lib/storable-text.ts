import type { z } from "zod";
import { isStorableText } from "@/db/storable-text";

// Text that reaches PostgreSQL (a search, a reason, a batch name) is refused up front when it holds
// a NUL byte: the database cannot store one, and the statement (or the audit insert with it) failed
// with a 500 instead of a refusal the person can read. `what` names the field: "The reason".
export function storableText<T extends z.ZodString>(schema: T, what: string): T {
  return schema.refine(isStorableText, `${what} cannot contain a NUL character.`);
}
