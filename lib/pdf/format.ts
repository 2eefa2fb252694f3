import type { Address } from "@/db/form-data";

// Value formatting shared by the form renderers and the stamps. Form data is JSON typed by the
// veteran years ago: every helper accepts missing or malformed values and degrades to text
// rather than throwing, because a claim must never fail to render over one odd field.

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The reference stamp time, strftime `%Y-%m-%d %I:%M %p %Z` in UTC: `2022-06-14 03:12 PM UTC`.
 * Always UTC so the stamp never depends on the worker's time zone.
 */
export function formatStampTimestamp(at: Date): string {
  const h24 = at.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  return (
    `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ` +
    `${pad(h12)}:${pad(at.getUTCMinutes())} ${h24 < 12 ? "AM" : "PM"} UTC`
  );
}

/** `June 14, 2022 at 03:12 PM UTC`: the claim date as a reviewer reads it. */
export function formatClaimDate(at: Date): string {
  const stamp = formatStampTimestamp(at);
  return `${MONTHS[at.getUTCMonth()]} ${at.getUTCDate()}, ${at.getUTCFullYear()} at ${stamp.slice(11)}`;
}

/** An ISO date (YYYY-MM-DD) as `March 4, 1985`; anything else is shown as typed. */
export function formatDate(value: unknown): string {
  const text = str(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return text;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return text;
  return `${MONTHS[month - 1]} ${Number(m[3])}, ${m[1]}`;
}

export function formatDateRange(from: unknown, to: unknown): string {
  const a = formatDate(from);
  const b = formatDate(to);
  if (!a && !b) return "";
  return `${a || "?"} to ${b || "present"}`;
}

/** Any JSON value as a trimmed string ("" for null, undefined and objects). */
export function str(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

export function yesNo(value: unknown): string {
  if (value === true) return "Yes";
  if (value === false) return "No";
  return "";
}

export function formatName(
  person: { firstName?: unknown; middleInitial?: unknown; lastName?: unknown } | undefined,
): string {
  if (!person) return "";
  const middle = str(person.middleInitial);
  return [str(person.firstName), middle ? `${middle.replace(/\.$/, "")}.` : "", str(person.lastName)]
    .filter(Boolean)
    .join(" ");
}

/**
 * A zip code as the stamped PDF and the claim page both show it: 123456789 as typed reads as
 * 12345-6789; a foreign postal code stays as it is.
 */
export function formatZipCode(zip: string, domestic = true): string {
  return domestic && /^\d{9}$/.test(zip) ? `${zip.slice(0, 5)}-${zip.slice(5)}` : zip;
}

/** Multi-line postal address; the country only when it is not the USA. */
export function formatAddress(address: Partial<Address> | undefined): string {
  if (!address) return "";
  const country = str(address.country);
  const domestic = !country || /^(USA?|United States( of America)?)$/i.test(country);
  const shownZip = formatZipCode(str(address.zipCode), domestic);
  const cityLine = [str(address.city), [str(address.state), shownZip].filter(Boolean).join(" ")]
    .filter(Boolean)
    .join(", ");
  const lines = [str(address.street), cityLine];
  if (!domestic) lines.push(country);
  return lines.filter(Boolean).join("\n");
}

export function asObject<T extends object>(value: unknown): Partial<T> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Partial<T>) : {};
}

/** A JSON list of objects; a missing list is empty and a null entry an empty object. */
export function asObjectArray<T extends object>(value: unknown): Partial<T>[] {
  return Array.isArray(value) ? value.map((v) => asObject<T>(v)) : [];
}
