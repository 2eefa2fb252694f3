// Metadata for a Benefits Intake upload: built from a claim the way the existing VA.gov client
// builds it (docs/design.md §4), and checked with the rules Benefits Intake itself applies (docs/design.md §5),
// so a claim that can never pass is flagged before anything is uploaded. The local Benefits Intake
// service validates with this same function, so the two can never disagree.
// Problems are written for the triage list: they name the field and the rule, never the value.

import { type SQL, sql } from "drizzle-orm";
import { BUSINESS_LINES, type BusinessLine, type FormType, METADATA_SOURCE, type UploadMetadata } from "./types";

export const MAX_NAME_LENGTH = 50;
const NAME_PATTERN = /^[A-Za-z\-/ ]+$/;
const FILE_NUMBER_PATTERN = /^\d{8,9}$/;
const ZIP_PATTERN = /^\d{5}(-\d{4})?$/;
export const FOREIGN_ZIP = "00000";
const DEFAULT_BUSINESS_LINE: BusinessLine = "CMP";

export interface ClaimForMetadata {
  veteranFirstName: string;
  veteranLastName: string;
  fileNumber: string;
  zipCode: string | null;
  formType: FormType;
  submittedAt: Date;
  businessLine?: string;
}

export type BuildMetadataResult =
  | { ok: true; metadata: UploadMetadata }
  | { ok: false; problems: string[]; metadata: UploadMetadata };

// Letters that NFD does not split into a base letter and a mark.
const TRANSLITERATIONS: Record<string, string> = {
  ß: "ss",
  ẞ: "SS",
  Æ: "AE",
  æ: "ae",
  Œ: "OE",
  œ: "oe",
  Ø: "O",
  ø: "o",
  Đ: "D",
  đ: "d",
  Ð: "D",
  ð: "d",
  Þ: "TH",
  þ: "th",
  Ł: "L",
  ł: "l",
  ı: "i",
  Ħ: "H",
  ħ: "h",
  Ŋ: "N",
  ŋ: "n",
  Ŧ: "T",
  ŧ: "t",
};

/** Transliterates, drops what Benefits Intake rejects, collapses spaces, trims, cuts to 50. */
export function normaliseName(name: string): string {
  const ascii = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[\u0080-\uffff]/g, (ch) => TRANSLITERATIONS[ch] ?? (/[\u2010-\u2015\u2212]/.test(ch) ? "-" : ch))
    .replace(/\s/g, " ");
  const kept = ascii
    .replace(/[^A-Za-z\-/ ]/g, "")
    .replace(/ {2,}/g, " ")
    .trim();
  return kept.slice(0, MAX_NAME_LENGTH).trim();
}

export function normaliseFileNumber(fileNumber: string): string {
  return fileNumber.replace(/\D/g, "");
}

/** 5 digits stay, 9 become 12345-6789; anything else (foreign, missing) is 00000. */
export function normaliseZipCode(zipCode: string | null | undefined): string {
  const digits = (zipCode ?? "").replace(/\D/g, "");
  if (digits.length === 5) return digits;
  if (digits.length === 9) return `${digits.slice(0, 5)}-${digits.slice(5)}`;
  return FOREIGN_ZIP;
}

export function normaliseBusinessLine(businessLine: string | undefined): BusinessLine {
  if (businessLine === undefined) return DEFAULT_BUSINESS_LINE;
  const upper = businessLine.trim().toUpperCase();
  return (BUSINESS_LINES as readonly string[]).includes(upper) ? (upper as BusinessLine) : "OTH";
}

const NAME_FIELDS = [
  ["veteranFirstName", "veteran first name"],
  ["veteranLastName", "veteran last name"],
] as const;

export function buildMetadata(claim: ClaimForMetadata): BuildMetadataResult {
  const validDate = !Number.isNaN(claim.submittedAt.getTime());
  const metadata: UploadMetadata = {
    veteranFirstName: normaliseName(claim.veteranFirstName ?? ""),
    veteranLastName: normaliseName(claim.veteranLastName ?? ""),
    fileNumber: normaliseFileNumber(claim.fileNumber ?? ""),
    zipCode: normaliseZipCode(claim.zipCode),
    source: METADATA_SOURCE,
    docType: claim.formType,
    businessLine: normaliseBusinessLine(claim.businessLine),
    claimDate: validDate ? claim.submittedAt.toISOString() : "",
  };
  const problems = validateMetadata(metadata).map((problem) => {
    // The validator only sees the result; here we know whether normalising emptied the name.
    for (const [field, label] of NAME_FIELDS) {
      if (problem === `${label} is empty` && (claim[field] ?? "").trim() !== "") {
        return `${label} is empty after removing characters Benefits Intake rejects`;
      }
    }
    return problem;
  });
  return problems.length === 0 ? { ok: true, metadata } : { ok: false, problems, metadata };
}

// SQL twin of a shortcut through buildMetadata, for counting over many claims in PostgreSQL: true
// for names and a file number of a plain shape that buildMetadata leaves unchanged and passes
// (letters, hyphens and slashes, single spaces between words, at most MAX_NAME_LENGTH; 8 or 9
// digits). Every claim it does not vouch for must still be judged by buildMetadata itself, which
// is why it may be stricter than the rules above but never looser. A zip code and a claim date
// never fail (normaliseZipCode makes every zip valid; a stored claim has a submission time).
const PLAIN_NAME = "^[A-Za-z/-]+( [A-Za-z/-]+)*$";
const PLAIN_FILE_NUMBER = "^[0-9]{8,9}$";

export function plainlyValidMetadataSql(claim: { firstName: SQL; lastName: SQL; fileNumber: SQL }): SQL {
  const plainName = (name: SQL) => sql`(${name} ~ ${PLAIN_NAME} and length(${name}) <= ${MAX_NAME_LENGTH})`;
  return sql`(${plainName(claim.firstName)} and ${plainName(claim.lastName)} and ${claim.fileNumber} ~ ${PLAIN_FILE_NUMBER})`;
}

function presence(value: unknown, label: string): string | undefined {
  if (value === undefined || value === null) return `${label} is missing`;
  if (typeof value !== "string") return `${label} must be text`;
  return undefined;
}

function nameProblems(value: unknown, label: string): string[] {
  const missing = presence(value, label);
  if (missing) return [missing];
  const name = value as string;
  if (name.trim() === "") return [`${label} is empty`];
  const problems: string[] = [];
  if (name.length > MAX_NAME_LENGTH) {
    problems.push(`${label} is longer than ${MAX_NAME_LENGTH} characters (has ${name.length})`);
  }
  if (!NAME_PATTERN.test(name)) {
    problems.push(
      `${label} has characters Benefits Intake rejects (only letters A-Z, hyphens, spaces and / are allowed)`,
    );
  }
  return problems;
}

/**
 * Benefits Intake's metadata rules. Takes `unknown` because the local service hands it whatever
 * JSON a client sent. Returns human-readable problems; an empty list means the metadata passes.
 */
export function validateMetadata(metadata: unknown): string[] {
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    return ["metadata must be a JSON object"];
  }
  const m = metadata as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, label] of NAME_FIELDS) problems.push(...nameProblems(m[field], label));

  const fileNumberMissing = presence(m.fileNumber, "file number");
  if (fileNumberMissing) problems.push(fileNumberMissing);
  else if (!/^\d*$/.test(m.fileNumber as string)) problems.push("file number must contain digits only");
  else if (!FILE_NUMBER_PATTERN.test(m.fileNumber as string)) {
    problems.push(`file number must be 8 or 9 digits (has ${(m.fileNumber as string).length})`);
  }

  const zipMissing = presence(m.zipCode, "zip code");
  if (zipMissing) problems.push(zipMissing);
  else if (!ZIP_PATTERN.test(m.zipCode as string)) {
    problems.push(`zip code must be 12345 or 12345-6789 (${FOREIGN_ZIP} for addresses outside the US)`);
  }

  for (const [field, label] of [
    ["source", "source"],
    ["docType", "doc type"],
  ] as const) {
    const missing = presence(m[field], label);
    if (missing) problems.push(missing);
    else if ((m[field] as string).trim() === "") problems.push(`${label} is empty`);
  }

  // Benefits Intake accepts a package without a business line; one that is given must be known.
  if (m.businessLine !== undefined && m.businessLine !== null && m.businessLine !== "") {
    if (typeof m.businessLine !== "string") problems.push("business line must be text");
    else if (!(BUSINESS_LINES as readonly string[]).includes(m.businessLine)) {
      problems.push(`business line "${m.businessLine.slice(0, 10)}" is not one of ${BUSINESS_LINES.join(", ")}`);
    }
  }

  if (m.claimDate !== undefined && !isIsoDate(m.claimDate)) {
    problems.push("claim date must be an ISO 8601 date");
  }
  return problems;
}

function isIsoDate(value: unknown): boolean {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
}
