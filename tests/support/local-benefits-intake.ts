// Starts the local Benefits Intake service for a test file and drives its /_admin endpoints.

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { buildMetadata } from "@/lib/benefits-intake/metadata";
import type { UploadPackage } from "@/lib/benefits-intake/types";
import {
  type FaultPatch,
  type LocalBenefitsIntake,
  type LocalBenefitsIntakeOptions,
  startLocalBenefitsIntake,
} from "@/local/benefits-intake";
import { makePdf } from "./benefits-intake-pdfs";

export interface AdminUpload {
  uuid: string;
  status: string;
  code: string | null;
  detail: string | null;
  putCount: number;
  acceptedPutCount: number;
  md5: string | null;
  sizeBytes: number | null;
  metadata: Record<string, unknown> | null;
  documents: { part: string; pages: number; sizeBytes: number }[];
}

export function adminApi(service: LocalBenefitsIntake) {
  async function call<T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${service.origin}/_admin${route}`, {
      method,
      headers: { apikey: service.apiKey, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`admin ${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  return {
    reset: () => call("POST", "/reset"),
    faults: (patch: FaultPatch) => call("POST", "/faults", patch),
    advance: (advanceMs: number) => call("POST", "/clock", { advanceMs }),
    uploads: async () => (await call<{ data: AdminUpload[] }>("GET", "/uploads")).data,
    upload: async (uuid: string) => (await call<{ data: AdminUpload }>("GET", `/uploads/${uuid}`)).data,
    notifications: async () => (await call<{ data: Record<string, unknown>[] }>("GET", "/notifications")).data,
    stats: () => call<{ requests: Record<string, number>; reportSizes: number[] }>("GET", "/stats"),
  };
}

export async function startTestService(options: LocalBenefitsIntakeOptions = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "bi-local-test-"));
  const service = await startLocalBenefitsIntake({ port: 0, dataDir, stepMs: 1_000, ...options });
  return {
    service,
    dataDir,
    admin: adminApi(service),
    async stop() {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function makePackage(
  overrides: { fileNumber?: string; lastName?: string; attachments?: number; content?: Uint8Array } = {},
): Promise<UploadPackage> {
  const built = buildMetadata({
    veteranFirstName: "Jane",
    veteranLastName: overrides.lastName ?? "Doe",
    fileNumber: overrides.fileNumber ?? "123456789",
    zipCode: "97202",
    formType: "21-686C",
    submittedAt: new Date("2022-06-14T15:12:00Z"),
  });
  const attachments = await Promise.all(
    Array.from({ length: overrides.attachments ?? 1 }, async (_, i) => ({
      fileName: `21-674-${i + 1}.pdf`,
      bytes: await makePdf({ pages: 1, text: `Attachment ${i + 1}` }),
    })),
  );
  return {
    metadata: built.metadata,
    content: { fileName: "21-686C.pdf", bytes: overrides.content ?? (await makePdf({ pages: 2, text: "Form 686c" })) },
    attachments,
  };
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejectionOf<T = unknown>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (err) {
    return err as T;
  }
  expect.fail("expected the call to fail");
}
