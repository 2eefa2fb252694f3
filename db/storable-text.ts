// PostgreSQL text and jsonb cannot hold a NUL byte, and it refuses one even as a bound parameter:
// the statement fails instead of matching nothing. The one test for it: the queries use it to match
// nothing, and lib/storable-text.ts builds the zod refinement that refuses such input up front.
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000");
}
