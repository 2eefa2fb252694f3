import { createHash } from "node:crypto";
import { LIMITS, type SubmissionRecord, submissionRecordSchema } from "./contract";

// Every record is checked twice before anything is written: once for what no field may hold
// (NUL bytes and broken surrogates, which PostgreSQL refuses and would fail the whole batch with;
// strings, lists, objects and nesting beyond the bounds; the record's total size), walking the raw
// value so unknown fields are bounded too; and once against the contract. A refusal lists every
// problem with its path, up to a cap, so the source can fix a record in one round.

export type Problem = { path: string; message: string };

export type ValidatedRecord = {
  record: SubmissionRecord;
  raw: Record<string, unknown>;
  contentSha256: string;
};

export type Validation = { ok: true; value: ValidatedRecord } | { ok: false; problems: Problem[] };

const MAX_PROBLEMS = 50;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else {
      const name = String(key);
      out += /^[A-Za-z_$][\w$]*$/.test(name) ? (out ? `.${name}` : name) : `[${JSON.stringify(name.slice(0, 80))}]`;
    }
  }
  return out || "(record)";
}

function badText(value: string): string | null {
  if (value.includes("\u0000")) return "contains a NUL character";
  if (!value.isWellFormed()) return "contains an unpaired UTF-16 surrogate";
  return null;
}

// The bounds every value obeys, wherever it sits. Stops descending once the problem list is full.
type Walk = { problems: Problem[]; shapeExceeded: boolean };

function walk(value: unknown, path: (string | number)[], depth: number, state: Walk): void {
  const { problems } = state;
  if (problems.length > MAX_PROBLEMS) return;
  const add = (message: string) => problems.push({ path: formatPath(path), message });
  const exceeded = (message: string) => {
    state.shapeExceeded = true;
    add(message);
  };
  if (typeof value === "string") {
    if (value.length > LIMITS.string) add(`string longer than ${LIMITS.string.toLocaleString("en-US")} characters`);
    else {
      const bad = badText(value);
      if (bad) add(bad);
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (depth >= LIMITS.depth) {
    exceeded(`nested deeper than ${LIMITS.depth} levels`);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > LIMITS.array) {
      exceeded(`list longer than ${LIMITS.array.toLocaleString("en-US")} items`);
      return;
    }
    value.forEach((item, i) => {
      walk(item, [...path, i], depth + 1, state);
    });
    return;
  }
  const keys = Object.keys(value);
  if (keys.length > LIMITS.objectKeys) {
    exceeded(`object with more than ${LIMITS.objectKeys.toLocaleString("en-US")} fields`);
    return;
  }
  for (const key of keys) {
    const bad = key.length > LIMITS.keyLength ? `field name longer than ${LIMITS.keyLength} characters` : badText(key);
    if (bad) problems.push({ path: formatPath([...path, key.slice(0, 80)]), message: `field name ${bad}` });
    else walk((value as Record<string, unknown>)[key], [...path, key], depth + 1, state);
  }
}

// JSON with object keys sorted: the same record hashes the same whatever order its fields came in.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function validateRecord(raw: unknown): Validation {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: "(record)", message: "a record must be a JSON object" }] };
  }
  const state: Walk = { problems: [], shapeExceeded: false };
  walk(raw, [], 0, state);
  const { problems } = state;
  let canonical: string | null = null;
  if (problems.length === 0) {
    canonical = canonicalJson(raw);
    const bytes = Buffer.byteLength(canonical, "utf8");
    if (bytes > LIMITS.recordBytes) {
      problems.push({
        path: "(record)",
        message: `record is ${bytes.toLocaleString("en-US")} bytes, over the ${LIMITS.recordBytes.toLocaleString("en-US")} allowed`,
      });
    }
  }
  // A value too deep or too wide is not handed to the schema: its recursion could cost more than
  // the refusal is worth. Bad strings are, so the source hears of every other problem too.
  const parsed = state.shapeExceeded ? null : submissionRecordSchema.safeParse(raw);
  if (parsed && !parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ path: formatPath(issue.path), message: issue.message });
  }
  if (problems.length > 0 || !parsed?.success || canonical === null) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS)
      shown.push({ path: "(record)", message: `more problems not listed: the first ${MAX_PROBLEMS} are shown` });
    return { ok: false, problems: shown };
  }
  return {
    ok: true,
    value: {
      record: parsed.data,
      raw: raw as Record<string, unknown>,
      contentSha256: createHash("sha256").update(canonical).digest("hex"),
    },
  };
}
