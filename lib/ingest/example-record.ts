// A complete version-1 record: the worked example docs/ingest.md shows (a test holds the two equal),
// and the starting point of every ingest test. Obviously fake: a 000-prefixed file number (never
// issued), an example.com address.

export function exampleRecord() {
  return {
    schemaVersion: 1,
    source: {
      system: "vets-api",
      table: "form526_submissions",
      id: "4128803",
      updatedAt: "2022-07-20T09:15:00Z",
    },
    formType: "21-526EZ",
    confirmationGuid: "6f0b7c1e-3f7a-4a51-9d7e-0b6c2b1e5a10",
    claimDate: "2022-06-14T15:12:00Z",
    veteran: {
      firstName: "Alex",
      lastName: "Testperson",
      fileNumber: "000123456",
      zipCode: "78701",
      country: "USA",
      email: "veteran@example.com",
    },
    formData: {
      veteran: { firstName: "Alex", lastName: "Testperson", fileNumber: "000123456" },
      disabilities: [{ condition: "Tinnitus", cause: "NEW", startDate: "2015-03-01" }],
    },
    evidence: [
      {
        sha256: "9f2c1bde5e4f3a1d0c8b7a69584736251403f2e1d0c9b8a7968574635241302f",
        fileName: "private-medical-record.pdf",
        contentType: "application/pdf",
        byteSize: 48213,
      },
    ],
    primary: {
      endpoint: "evss",
      claimId: null,
      shownAsSuccess: true,
      jobs: [
        {
          jobClass: "SubmitForm526AllClaim",
          status: "exhausted",
          errorClass: "Common::Exceptions::GatewayTimeout",
          errorMessage: "Gateway timeout: upstream EVSS did not answer within 60s",
          updatedAt: "2022-06-15T02:40:00Z",
        },
      ],
    },
    backup: { attempts: [] },
    remediations: [],
    notices: [],
  };
}
