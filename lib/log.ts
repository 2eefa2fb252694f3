import pino from "pino";

// Structured JSON logs. Never log PII: log claim and attempt ids; the redact list is a second net.

const PII_KEYS = [
  "veteranFirstName",
  "veteranLastName",
  "fileNumber",
  "email",
  "ssn",
  "firstName",
  "lastName",
  "metadata",
  "personalisation",
  "recipient",
  "emailAddress",
  "q", // a claims search: a last name or a file number
  "search",
];

// pino's "*.key" matches exactly one level down, so each key is listed at the top level, one and
// two levels down: `log.info({ email })` is as redacted as `log.info({ claim: { email } })`.
const REDACTED_PATHS = PII_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

type ErrorFields = {
  name: string;
  code?: string; // SQLSTATE for PostgreSQL, errno names (ECONNREFUSED) for the network
  constraint?: string;
  table?: string;
  column?: string;
  status?: number;
  cause?: ErrorFields;
};

// Identifiers only: a code, a constraint or table name never holds a row's values.
const token = (value: unknown) =>
  typeof value === "string" && /^[A-Za-z0-9_.$-]{1,63}$/.test(value) ? value : undefined;

// What a log may say about an error: its name, codes and the names of what it touched. Never its
// message or stack: drizzle's and postgres' messages quote the statement's bound parameters
// (search text, import notes), and any other library's message may quote its input.
export function errorFields(error: unknown, depth = 0): ErrorFields {
  if (!error || typeof error !== "object") return { name: typeof error };
  const e = error as Record<string, unknown>;
  const fields: ErrorFields = { name: token(e.name) ?? token(error.constructor?.name) ?? "object" };
  const code = token(e.code);
  if (code) fields.code = code;
  const constraint = token(e.constraint_name ?? e.constraint);
  if (constraint) fields.constraint = constraint;
  const table = token(e.table_name);
  if (table) fields.table = table;
  const column = token(e.column_name);
  if (column) fields.column = column;
  const status = e.status ?? e.statusCode;
  if (typeof status === "number") fields.status = status;
  // drizzle wraps the driver's error (DrizzleQueryError → PostgresError): the SQLSTATE is on the cause.
  if (e.cause && depth < 2) fields.cause = errorFields(e.cause, depth + 1);
  return fields;
}

export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.CLAIM_TRIAGE_SERVICE ?? "web" },
  // `{ err }` and `{ error }` are written through errorFields, whatever a caller passes.
  serializers: { err: (e: unknown) => errorFields(e), error: (e: unknown) => errorFields(e) },
  redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
});
