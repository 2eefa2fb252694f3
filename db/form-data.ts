// The JSON kept in saved_claims.form_data for each form: what the veteran filled in on VA.gov.
// The seed writes it, the PDF renderers read it. Dates are ISO strings (YYYY-MM-DD).

export type Address = {
  street: string;
  city: string;
  state: string; // two letters; empty for addresses abroad
  zipCode: string; // as typed: 12345, 12345-6789, 123456789, or a foreign postal code
  country: string; // "USA" or another country name
};

export type VeteranInfo = {
  firstName: string;
  middleInitial?: string;
  lastName: string;
  dateOfBirth: string;
  fileNumber: string; // SSN or VA file number, digits as typed
  phone: string;
  email: string;
  address: Address;
};

export type Form526Data = {
  veteran: VeteranInfo;
  serviceHistory: { branch: string; from: string; to: string; dischargeType: string }[];
  disabilities: {
    condition: string;
    cause: "NEW" | "WORSENED" | "SECONDARY";
    startDate: string;
    description: string;
  }[];
  treatmentFacilities: { name: string; from: string }[];
  homeless: boolean;
  remarks: string;
};

export type Form686cData = {
  veteran: VeteranInfo;
  action: "add" | "remove";
  spouse?: { firstName: string; lastName: string; dateOfBirth: string; marriageDate: string; marriagePlace: string };
  children: {
    firstName: string;
    lastName: string;
    dateOfBirth: string;
    relationship: "biological" | "adopted" | "stepchild";
  }[];
  remarks: string;
};

export type Form674Data = {
  veteran: VeteranInfo;
  student: {
    firstName: string;
    lastName: string;
    dateOfBirth: string;
    schoolName: string;
    schoolAddress: Address;
    termStart: string;
    expectedGraduation: string;
    fullTime: boolean;
  };
  remarks: string;
};

export type FormData = Form526Data | Form686cData | Form674Data;
