import type { Address, VeteranInfo } from "../form-data";
import type { Random } from "./random";

// Obviously fake people: a short list of names, file numbers in a test range (000-xx-xxxx is
// never issued as an SSN), example.com addresses.
const FIRST = [
  "Alex",
  "Jordan",
  "Casey",
  "Riley",
  "Morgan",
  "Taylor",
  "Jamie",
  "Avery",
  "Quinn",
  "Rowan",
  "José",
  "Zoë",
  "Renée",
  "Siobhán",
];
const LAST = [
  "Testperson",
  "Sampleton",
  "Demoford",
  "Fakeworth",
  "Mockley",
  "Placeholder",
  "Exampleson",
  "O'Trial",
  "Van Dummy",
  "Núñez-Test",
];
const CITIES = [
  ["Austin", "TX", "78701"],
  ["Denver", "CO", "80202"],
  ["Tampa", "FL", "33602"],
  ["Boise", "ID", "83702"],
  ["Dayton", "OH", "45402"],
  ["Fresno", "CA", "93721"],
] as const;
const STREETS = ["Main St", "Oak Ave", "Veterans Way", "Liberty Blvd", "Elm St"];

export function makeAddress(r: Random, opts: { foreign?: boolean; zipStyle?: "5" | "9" | "bad" } = {}): Address {
  if (opts.foreign) {
    return { street: `${r.int(1, 99)} Rue de Test`, city: "Lyon", state: "", zipCode: "69001", country: "France" };
  }
  const [city, state, zip] = r.pick(CITIES);
  const zipCode =
    opts.zipStyle === "9" ? `${zip}${r.int(1000, 9999)}` : opts.zipStyle === "bad" ? zip.slice(0, 4) : zip;
  return { street: `${r.int(100, 9999)} ${r.pick(STREETS)}`, city, state, zipCode, country: "USA" };
}

export type SeedVeteran = VeteranInfo & { index: number };

export function makeVeteran(r: Random, index: number, opts: { badFileNumber?: boolean } = {}): SeedVeteran {
  const firstName = r.pick(FIRST);
  const lastName = r.pick(LAST);
  const serial = String(index).padStart(6, "0").slice(-6);
  // 000-xx-xxxx: a test range; a few are short on purpose (the "missing file number" failures).
  const fileNumber = opts.badFileNumber ? serial.slice(0, 4 + r.int(0, 2)) : `000${serial}`;
  const foreign = r.chance(0.02);
  return {
    index,
    firstName,
    middleInitial: r.chance(0.5) ? String.fromCharCode(65 + r.int(0, 25)) : undefined,
    lastName,
    dateOfBirth: `19${r.int(45, 99)}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`,
    fileNumber,
    phone: `555-01${String(r.int(0, 99)).padStart(2, "0")}`,
    email: `veteran${index}@example.com`,
    address: makeAddress(r, { foreign, zipStyle: r.chance(0.3) ? "9" : r.chance(0.01) ? "bad" : "5" }),
  };
}
