import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Form526Data, Form674Data, Form686cData, VeteranInfo } from "@/db/form-data";
import { claimGroups, primarySubmissions, savedClaims } from "@/db/schema";

// Claims made for one test, with data the local Benefits Intake will accept unless told otherwise.

let serial = 900_000 + Math.floor(Math.random() * 90_000);

export function testVeteran(overrides: Partial<VeteranInfo> = {}): VeteranInfo {
  serial++;
  return {
    firstName: "Alex",
    lastName: "Testperson",
    dateOfBirth: "1970-01-02",
    fileNumber: `000${String(serial).padStart(6, "0")}`,
    phone: "555-0100",
    email: `flow-test-${serial}@example.com`,
    address: { street: "1 Main St", city: "Austin", state: "TX", zipCode: "78701", country: "USA" },
    ...overrides,
  };
}

type GroupInput = { veteran?: VeteranInfo; dependents?: boolean; students?: number; submittedAt?: Date };

// The claim row's copy of the veteran, and the black-hole failure every test claim starts from.
function veteranColumns(veteran: VeteranInfo) {
  return {
    veteranFirstName: veteran.firstName,
    veteranLastName: veteran.lastName,
    fileNumber: veteran.fileNumber,
    fileLast4: veteran.fileNumber.padStart(4, "0").slice(-4),
    zipCode: veteran.address.zipCode,
    email: veteran.email,
    blackHole: true,
    failureReason: "Net::ReadTimeout with #<TCPSocket:(closed)> after <n> seconds",
  };
}

// The smallest 526EZ a backup can render: one period of service, one condition.
function form526For(veteran: VeteranInfo): Form526Data {
  return {
    veteran,
    serviceHistory: [{ branch: "Army", from: "1990-01-01", to: "1994-01-01", dischargeType: "Honorable" }],
    disabilities: [
      { condition: "Tinnitus", cause: "NEW", startDate: "1993-01-01", description: "Ringing in both ears." },
    ],
    treatmentFacilities: [],
    homeless: false,
    remarks: "",
  };
}

export async function createClaimGroup(db: Db, input: GroupInput = {}) {
  const veteran = input.veteran ?? testVeteran();
  const submittedAt = input.submittedAt ?? new Date("2022-06-14T15:12:00Z");
  const forms: { formType: "21-526EZ" | "21-686C" | "21-674"; data: unknown }[] = input.dependents
    ? [
        {
          formType: "21-686C",
          data: {
            veteran,
            action: "add",
            children: [
              { firstName: "Sam", lastName: veteran.lastName, dateOfBirth: "2010-01-01", relationship: "biological" },
            ],
            remarks: "",
          } satisfies Form686cData,
        },
        ...Array.from({ length: input.students ?? 1 }, (_, i) => ({
          formType: "21-674" as const,
          data: {
            veteran,
            student: {
              firstName: `Kid${i}`,
              lastName: veteran.lastName,
              dateOfBirth: "2003-02-03",
              schoolName: "Example State University",
              schoolAddress: veteran.address,
              termStart: "2022-08-20",
              expectedGraduation: "2025-05-15",
              fullTime: true,
            },
            remarks: "",
          } satisfies Form674Data,
        })),
      ]
    : [
        {
          formType: "21-526EZ",
          data: form526For(veteran),
        },
      ];

  return db.transaction(async (tx) => {
    const [group] = await tx.insert(claimGroups).values({ status: "failure" }).returning();
    const ids: number[] = [];
    for (const form of forms) {
      const [claim] = await tx
        .insert(savedClaims)
        .values({
          guid: randomUUID(),
          formType: form.formType,
          formData: form.data as Record<string, unknown>,
          ...veteranColumns(veteran),
          submittedAt,
          groupId: group.id,
          mainClaimId: ids[0] ?? null,
        })
        .returning({ id: savedClaims.id });
      ids.push(claim.id);
      await tx.insert(primarySubmissions).values({
        claimId: claim.id,
        status: "failure",
        errorClass: "Net::ReadTimeout",
        errorMessage: "Net::ReadTimeout",
        failedAt: submittedAt,
        shownAsSuccess: true,
      });
    }
    await tx.update(savedClaims).set({ mainClaimId: ids[0] }).where(sql`id = ${ids[0]}`);
    await tx.update(claimGroups).set({ parentClaimId: ids[0] }).where(sql`id = ${group.id}`);
    return { mainClaimId: ids[0], claimIds: ids, veteran };
  });
}

// Many single-form (526EZ) claims, one veteran (file number) each, in a handful of statements: hundreds of groups one by one cost
// more test time than the backups they are made for.
export async function createClaimGroups(db: Db, veterans: VeteranInfo[]) {
  const submittedAt = new Date("2022-06-14T15:12:00Z");
  return db.transaction(async (tx) => {
    const groups = await tx
      .insert(claimGroups)
      .values(veterans.map(() => ({ status: "failure" as const })))
      .returning({ id: claimGroups.id });
    const claims = await tx
      .insert(savedClaims)
      .values(
        veterans.map((veteran, i) => ({
          guid: randomUUID(),
          formType: "21-526EZ" as const,
          formData: form526For(veteran) as Record<string, unknown>,
          ...veteranColumns(veteran),
          submittedAt,
          groupId: groups[i].id,
        })),
      )
      .returning({ id: savedClaims.id, fileNumber: savedClaims.fileNumber });
    const ids = claims.map((c) => c.id);
    await tx.execute(
      sql`update saved_claims set main_claim_id = id where id = any(${sql.raw(`array[${ids.join(",")}]::bigint[]`)})`,
    );
    await tx.execute(
      sql`update claim_groups g set parent_claim_id = c.id from saved_claims c where c.group_id = g.id and c.id = any(${sql.raw(`array[${ids.join(",")}]::bigint[]`)})`,
    );
    await tx.insert(primarySubmissions).values(
      ids.map((claimId) => ({
        claimId,
        status: "failure" as const,
        errorClass: "Net::ReadTimeout",
        errorMessage: "Net::ReadTimeout",
        failedAt: submittedAt,
        shownAsSuccess: true,
      })),
    );
    const byFileNumber = new Map(veterans.map((v) => [v.fileNumber, v]));
    return claims.map((c) => ({ mainClaimId: c.id, claimIds: [c.id], veteran: byFileNumber.get(c.fileNumber)! }));
  });
}
