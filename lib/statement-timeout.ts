// A statement of the web's pool that ran past DATABASE_STATEMENT_TIMEOUT_MS is cancelled by
// PostgreSQL (SQLSTATE 57014, query_canceled). Drizzle wraps the driver's error, so the code may be
// on the error or on its cause.

export const STATEMENT_TIMEOUT_MESSAGE =
  "This took longer than the server allows, so it was stopped and nothing was changed. " +
  "Narrow the selection (add a filter or a date range) and try again; if it keeps happening, tell the on-call engineer.";

export function isStatementTimeout(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    if ((e as { code?: unknown }).code === "57014") return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
