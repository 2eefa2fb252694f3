import { hash } from "node:crypto";
import { z } from "zod";
import { LIMITS, type SubmissionRecord, submissionRecordSchema } from "./contract";

// Every record is checked twice before anything is written: once for what no field may hold
// (NUL bytes and broken surrogates, which PostgreSQL refuses and would fail the whole batch with;
// strings, lists, objects and nesting beyond the bounds; the record's total size), walking the raw
// value so unknown fields are bounded too; and once against the contract. A refusal lists every
// problem with its path, up to a cap, so the source can fix a record in one round.

export type Problem = { path: string; message: string };

export type ValidatedRecord = {
  record: SubmissionRecord;
  contentSha256: string;
  // The canonical JSON's two parts the import stores (map-record.ts, stageLine): the form data, and
  // the rest of the record as received. Cut from the JSON the hash was taken of, not written again.
  formJson: string;
  restJson: string;
  // Whether the JSON holds a backslash (a string's escape), which COPY's text format must double: a
  // JSON text has no raw tab, newline or return, so without one both parts go to COPY as they are.
  escaped: boolean;
};

export type Validation = { ok: true; value: ValidatedRecord } | { ok: false; problems: Problem[] };

const MAX_PROBLEMS = 50;

// The contract as a parser zod generates for it (z.compile, strict: a schema it cannot compile fails
// here, at start-up, rather than quietly falling back): 3 µs a record against 13 for the runtime
// parser. A record it rejects goes through the runtime parser, so a refusal's problems are zod's own.
const recordParser = z.compile(submissionRecordSchema, { strict: true });

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

// The bounds every value obeys, wherever it sits, checked in the same pass that writes the record's
// canonical JSON (object keys sorted: the same record hashes the same whatever order its fields came
// in). `path` is one stack, pushed and popped, turned into text only for a problem. The JSON is one
// growing string, not a list of pieces joined at the end: at 5,000 records a chunk the pieces were
// most of the import's garbage, and this walk its busiest JavaScript.
type Walk = {
  problems: Problem[];
  shapeExceeded: boolean;
  path: (string | number)[];
  out: string;
  // Where the record's own formData field sits in `out`: its start (comma included), its value's
  // start, its end.
  formSpan?: [number, number, number];
};

function problem(state: Walk, message: string, shape = false) {
  if (shape) state.shapeExceeded = true;
  if (state.problems.length <= MAX_PROBLEMS) state.problems.push({ path: formatPath(state.path), message });
}

// A string with none of these is neither refused (NUL, a lone surrogate) nor escaped by
// JSON.stringify (quote, backslash, control characters, lone surrogates): it is written as it is.
// Almost every string of a record is one; the others take the full checks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;

// The string's JSON, or null after noting why it is refused.
function stringJson(value: string, state: Walk, what: string): string | null {
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  const bad = badText(value);
  if (bad) {
    problem(state, `${what}${bad}`);
    return null;
  }
  return JSON.stringify(value);
}

function tooLong(state: Walk, message: string): null {
  problem(state, message);
  return null;
}

// Field names repeat from record to record: a name found plain is remembered as its JSON and colon,
// and with the comma before it, so most are neither tested, quoted nor joined to their punctuation
// again (each join was a new string). Bounded, in case a source sends a new name every time.
type KeyJson = { first: string; next: string };
const knownKeys = new Map<string, KeyJson>();
const KNOWN_KEYS = 10_000;

function keyJson(key: string, state: Walk): KeyJson | null {
  const known = knownKeys.get(key);
  if (known !== undefined) return known;
  if (key.length > LIMITS.keyLength) return tooLong(state, `field name longer than ${LIMITS.keyLength} characters`);
  const json = stringJson(key, state, "field name ");
  if (json === null) return null;
  const made = { first: `${json}:`, next: `,${json}:` };
  if (knownKeys.size < KNOWN_KEYS) knownKeys.set(key, made);
  return made;
}

function walk(value: unknown, depth: number, state: Walk): void {
  if (state.problems.length > MAX_PROBLEMS) return;
  if (typeof value === "string") {
    if (value.length > LIMITS.string)
      problem(state, `string longer than ${LIMITS.string.toLocaleString("en-US")} characters`);
    else {
      const json = stringJson(value, state, "");
      if (json !== null) state.out += json;
    }
    return;
  }
  if (value === null || typeof value !== "object") {
    state.out += JSON.stringify(value) ?? "null";
    return;
  }
  if (depth >= LIMITS.depth) {
    problem(state, `nested deeper than ${LIMITS.depth} levels`, true);
    return;
  }
  const { path } = state;
  if (Array.isArray(value)) {
    if (value.length > LIMITS.array) {
      problem(state, `list longer than ${LIMITS.array.toLocaleString("en-US")} items`, true);
      return;
    }
    state.out += "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) state.out += ",";
      path.push(i);
      walk(value[i], depth + 1, state);
      path.pop();
    }
    state.out += "]";
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length > LIMITS.objectKeys) {
    problem(state, `object with more than ${LIMITS.objectKeys.toLocaleString("en-US")} fields`, true);
    return;
  }
  sortKeys(keys);
  state.out += "{";
  let first = true;
  for (const key of keys) {
    if (obj[key] === undefined) continue;
    path.push(key.length > 80 ? key.slice(0, 80) : key);
    const json = keyJson(key, state);
    if (json !== null) {
      const at = state.out.length;
      state.out += first ? json.first : json.next;
      first = false;
      const valueAt = state.out.length;
      walk(obj[key], depth + 1, state);
      if (depth === 0 && key === "formData") state.formSpan = [at, valueAt, state.out.length];
    }
    path.pop();
  }
  state.out += "}";
}

// In place, in the order Array.prototype.sort gives strings (UTF-16 code units). Sorting an object's
// handful of keys by insertion allocates nothing, where sort() allocated its working arrays every
// time: 11 KB a record, a third of all the record's checking made in garbage. A long list, which only
// a source's free-form data would have, is left to sort().
const SORTED_BY_INSERTION = 48;

function sortKeys(keys: string[]) {
  if (keys.length > SORTED_BY_INSERTION) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
}

export function canonicalJson(value: unknown): string {
  const state: Walk = { problems: [], shapeExceeded: false, path: [], out: "" };
  walk(value, 0, state);
  return state.out;
}

export function validateRecord(raw: unknown): Validation {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: "(record)", message: "a record must be a JSON object" }] };
  }
  const state: Walk = { problems: [], shapeExceeded: false, path: [], out: "" };
  walk(raw, 0, state);
  const { problems } = state;
  let canonical: string | null = null;
  if (problems.length === 0) {
    canonical = state.out;
    // A UTF-16 unit is at most 3 bytes of UTF-8: a record that short is not counted byte by byte.
    const bytes = canonical.length * 3 <= LIMITS.recordBytes ? 0 : Buffer.byteLength(canonical, "utf8");
    if (bytes > LIMITS.recordBytes) {
      problems.push({
        path: "(record)",
        message: `record is ${bytes.toLocaleString("en-US")} bytes, over the ${LIMITS.recordBytes.toLocaleString("en-US")} allowed`,
      });
    }
  }
  // A value too deep or too wide is not handed to the schema: its recursion could cost more than
  // the refusal is worth. Bad strings are, so the source hears of every other problem too.
  const parsed = state.shapeExceeded ? null : recordParser.safeParse(raw);
  if (parsed && !parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ path: formatPath(issue.path), message: issue.message });
  }
  if (problems.length > 0 || !parsed?.success || canonical === null) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    if (problems.length > MAX_PROBLEMS)
      shown.push({ path: "(record)", message: `more problems not listed: the first ${MAX_PROBLEMS} are shown` });
    return { ok: false, problems: shown };
  }
  const contentSha256 = hash("sha256", canonical, "hex"); // one call: 2.1 µs a record against 2.6 for createHash
  if (!state.formSpan) throw new Error("a valid record has formData");
  const { formJson, restJson } = split(canonical, state.formSpan);
  return {
    ok: true,
    value: { record: parsed.data, contentSha256, formJson, restJson, escaped: canonical.includes("\\") },
  };
}

// The form data's JSON and the record's without it. The schema requires formData, and claimDate,
// which sorts before it: the field always has a comma before it to take out with it.
function split(canonical: string, [at, valueAt, end]: NonNullable<Walk["formSpan"]>) {
  return { formJson: canonical.slice(valueAt, end), restJson: canonical.slice(0, at) + canonical.slice(end) };
}
