import type { Form526Data, Form674Data, Form686cData, VeteranInfo } from "../form-data";
import { makeAddress } from "./people";
import type { Random } from "./random";

const BRANCHES = ["Army", "Navy", "Air Force", "Marine Corps", "Coast Guard"];
// Also the conditions of the sample PDFs (lib/pdf/samples.ts).
export const CONDITIONS = [
  "Tinnitus",
  "Lower back strain",
  "PTSD",
  "Knee replacement",
  "Hearing loss",
  "Sleep apnea",
  "Migraine headaches",
  "Plantar fasciitis",
];
const CHILD_NAMES = ["Sam", "Charlie", "Robin", "Kit", "Lee", "Drew"];
const SCHOOLS = ["Example State University", "Sample Community College", "Test Institute of Technology"];

const date = (r: Random, fromYear: number, toYear: number) =>
  `${r.int(fromYear, toYear)}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`;

export function make526(r: Random, veteran: VeteranInfo): Form526Data {
  const from = r.int(1970, 2010);
  return {
    veteran,
    serviceHistory: Array.from({ length: r.int(1, 2) }, (_, i) => ({
      branch: r.pick(BRANCHES),
      from: `${from + i * 4}-01-15`,
      to: `${from + i * 4 + 4}-01-14`,
      dischargeType: "Honorable",
    })),
    disabilities: Array.from({ length: r.int(1, 5) }, () => ({
      condition: r.pick(CONDITIONS),
      cause: r.pick(["NEW", "WORSENED", "SECONDARY"] as const),
      startDate: date(r, 1990, 2020),
      description: "Condition began during active service and has continued since separation.",
    })),
    treatmentFacilities: r.chance(0.6) ? [{ name: "Example VA Medical Center", from: date(r, 2000, 2020) }] : [],
    homeless: r.chance(0.03),
    remarks: r.chance(0.3) ? "Please see attached private medical records." : "",
  };
}

export function make686c(r: Random, veteran: VeteranInfo, studentCount: number): Form686cData {
  return {
    veteran,
    action: r.chance(0.9) ? "add" : "remove",
    spouse: r.chance(0.6)
      ? {
          firstName: r.pick(CHILD_NAMES),
          lastName: veteran.lastName,
          dateOfBirth: date(r, 1960, 1995),
          marriageDate: date(r, 1990, 2020),
          marriagePlace: "Austin, TX",
        }
      : undefined,
    children: Array.from({ length: Math.max(studentCount, r.int(0, 2)) }, () => ({
      firstName: r.pick(CHILD_NAMES),
      lastName: veteran.lastName,
      dateOfBirth: date(r, 1998, 2020),
      relationship: r.pick(["biological", "adopted", "stepchild"] as const),
    })),
    remarks: "",
  };
}

export function make674(r: Random, veteran: VeteranInfo): Form674Data {
  return {
    veteran,
    student: {
      firstName: r.pick(CHILD_NAMES),
      lastName: veteran.lastName,
      dateOfBirth: date(r, 1999, 2004),
      schoolName: r.pick(SCHOOLS),
      schoolAddress: makeAddress(r),
      termStart: date(r, 2021, 2022),
      expectedGraduation: date(r, 2023, 2026),
      fullTime: r.chance(0.9),
    },
    remarks: "",
  };
}
