import type { Form526Data, Form674Data, Form686cData, VeteranInfo } from "@/db/form-data";
import { CONDITIONS } from "@/db/seed/forms";

// Obviously fake form data for the PDF benchmark, the tests and previews: one veteran, and a
// 526EZ whose number of disabilities is chosen to control its page count.

export const sampleVeteran: VeteranInfo = {
  firstName: "Renée",
  middleInitial: "Q",
  lastName: "Núñez-Test",
  dateOfBirth: "1971-03-04",
  fileNumber: "000123456",
  phone: "555-0123",
  email: "veteran123@example.com",
  address: { street: "1234 Veterans Way", city: "Austin", state: "TX", zipCode: "787011234", country: "USA" },
};

export function sample526(disabilityCount = 3, veteran: VeteranInfo = sampleVeteran): Form526Data {
  return {
    veteran,
    serviceHistory: [
      { branch: "Army", from: "1990-01-15", to: "1994-01-14", dischargeType: "Honorable" },
      { branch: "Navy", from: "1995-01-15", to: "2001-01-14", dischargeType: "General (under honorable conditions)" },
    ],
    disabilities: Array.from({ length: disabilityCount }, (_, i) => ({
      condition: `${CONDITIONS[i % CONDITIONS.length]} #${i + 1}`,
      cause: (["NEW", "WORSENED", "SECONDARY"] as const)[i % 3],
      startDate: `20${String(5 + (i % 15)).padStart(2, "0")}-06-${String(1 + (i % 28)).padStart(2, "0")}`,
      description:
        i % 3 === 0
          ? "Condition began during active service and has continued since separation. Symptoms worsen with activity; the veteran was treated at the base clinic twice and privately since."
          : "Condition began during active service and has continued since separation.",
    })),
    treatmentFacilities: [{ name: "Example VA Medical Center", from: "2010-02-02" }],
    homeless: false,
    remarks: "Please see attached private medical records.",
  };
}

export function sample686c(veteran: VeteranInfo = sampleVeteran): Form686cData {
  return {
    veteran,
    action: "add",
    spouse: {
      firstName: "Sam",
      lastName: veteran.lastName,
      dateOfBirth: "1975-05-05",
      marriageDate: "2000-06-06",
      marriagePlace: "Austin, TX",
    },
    children: [
      { firstName: "Robin", lastName: veteran.lastName, dateOfBirth: "2003-01-01", relationship: "biological" },
      { firstName: "Kit", lastName: veteran.lastName, dateOfBirth: "2005-02-02", relationship: "stepchild" },
    ],
    remarks: "",
  };
}

export function sample674(studentFirstName = "Robin", veteran: VeteranInfo = sampleVeteran): Form674Data {
  return {
    veteran,
    student: {
      firstName: studentFirstName,
      lastName: veteran.lastName,
      dateOfBirth: "2003-01-01",
      schoolName: "Example State University",
      schoolAddress: { street: "1 University Ave", city: "Denver", state: "CO", zipCode: "80202", country: "USA" },
      termStart: "2022-08-20",
      expectedGraduation: "2025-05-15",
      fullTime: true,
    },
    remarks: "",
  };
}
