import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { claimGroups, primarySubmissions, savedClaims } from "@/db/schema";
import type { Form526Data, Form674Data, Form686cData, VeteranInfo } from "@/db/form-data";

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

export async function createClaimGroup(db: Db, input: GroupInput = {}) {
  const veteran = input.veteran ?? testVeteran();
  const submittedAt = input.submittedAt ?? new Date("2022-06-14T15:12:00Z");
  const forms: { formType: "21-526EZ" | "21-686C" | "21-674"; data: unknown }[] = input.dependents
    ? [
        { formType: "21-686C", data: { veteran, action: "add", children: [{ firstName: "Sam", lastName: veteran.lastName, dateOfBirth: "2010-01-01", relationship: "biological" }], remarks: "" } satisfies Form686cData },
        ...Array.from({ length: input.students ?? 1 }, (_, i) => ({
          formType: "21-674" as const,
          data: { veteran, student: { firstName: `Kid${i}`, lastName: veteran.lastName, dateOfBirth: "2003-02-03", schoolName: "Example State University", schoolAddress: veteran.address, termStart: "2022-08-20", expectedGraduation: "2025-05-15", fullTime: true }, remarks: "" } satisfies Form674Data,
        })),
      ]
    : [{ formType: "21-526EZ", data: { veteran, serviceHistory: [{ branch: "Army", from: "1990-01-01", to: "1994-01-01", dischargeType: "Honorable" }], disabilities: [{ condition: "Tinnitus", cause: "NEW", startDate: "1993-01-01", description: "Ringing in both ears." }], treatmentFacilities: [], homeless: false, remarks: "" } satisfies Form526Data }];

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
          veteranFirstName: veteran.firstName,
          veteranLastName: veteran.lastName,
          fileNumber: veteran.fileNumber,
          fileLast4: veteran.fileNumber.padStart(4, "0").slice(-4),
          zipCode: veteran.address.zipCode,
          email: veteran.email,
          submittedAt,
          groupId: group.id,
          mainClaimId: ids[0] ?? null,
          blackHole: true,
          failureReason: "Net::ReadTimeout with #<TCPSocket:(closed)> after <n> seconds",
        })
        .returning({ id: savedClaims.id });
      ids.push(claim.id);
      await tx.insert(primarySubmissions).values({ claimId: claim.id, status: "failure", errorClass: "Net::ReadTimeout", errorMessage: "Net::ReadTimeout", failedAt: submittedAt, shownAsSuccess: true });
    }
    await tx.update(savedClaims).set({ mainClaimId: ids[0] }).where(sql`id = ${ids[0]}`);
    await tx.update(claimGroups).set({ parentClaimId: ids[0] }).where(sql`id = ${group.id}`);
    return { mainClaimId: ids[0], claimIds: ids, veteran };
  });
}
