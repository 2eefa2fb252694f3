import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupAttempts, backupSubmissions, documents, persistentAttachments } from "@/db/schema";
import { startBackup } from "@/lib/backup/start-backup";
import type { StorageConfig } from "@/lib/storage";
import { makeScannedEvidencePdf } from "../../bench/big-evidence";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { createClaimGroup } from "../support/claims-factory";
import { extractPdfText } from "../support/pdf-text";
import { type S3TestServer, startS3Server } from "../support/s3-server";

// Issue #14: a large evidence file is stamped in the PDF thread and saved straight into storage in
// chunks (never whole a second time), then sent to Benefits Intake as it is read back. On the local
// folder and on object storage: stored once, recorded, uploaded once, byte for byte what was stored.

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3Server("large-evidence");
});
afterAll(async () => s3?.stop());

const backends: [string, () => StorageConfig | undefined][] = [
  ["the local folder", () => undefined],
  ["object storage", () => ({ kind: "s3", ...s3.storageConfig("large-evidence/") })],
];

describe.each(backends)("a claim with a scanned evidence file of 9 MB, on %s", (_name, storage) => {
  let h: BackupHarness;
  beforeAll(async () => {
    const config = storage();
    h = await startBackupHarness(config ? { storage: config } : {});
    await h.startWorkers(1);
  });
  afterAll(async () => h?.stop());

  it("is stored as it is stamped, recorded, and uploaded once with the stored bytes", async () => {
    const { mainClaimId } = await createClaimGroup(h.db);
    const scan = await makeScannedEvidencePdf(9_000_000);
    const original = await h.storage.put(scan);
    await h.db.insert(persistentAttachments).values({
      claimId: mainClaimId,
      fileName: "scan.pdf",
      contentType: "application/pdf",
      storageKey: original.storageKey,
      byteSize: original.byteSize,
    });
    await startBackup(h.db, { claimId: mainClaimId, trigger: "user", userId: null, batchId: null, force: false });
    const submission = await waitFor(`claim ${mainClaimId} to settle`, async () => {
      const [s] = await h.db.select().from(backupSubmissions).where(eq(backupSubmissions.claimId, mainClaimId));
      return s && s.inFlightSince === null ? s : null;
    });
    expect(submission.latestStatus).toBe("submitted");

    const [attempt] = await h.db.select().from(backupAttempts).where(eq(backupAttempts.claimId, mainClaimId));
    const [evidence] = await h.db
      .select()
      .from(documents)
      .where(and(eq(documents.attemptId, attempt.id), eq(documents.role, "attachment")))
      .orderBy(asc(documents.position));
    const stored = await h.storage.read(evidence.storageKey);
    expect(stored.byteLength).toBe(evidence.byteSize);
    expect(createHash("sha256").update(stored).digest("hex")).toBe(evidence.sha256);
    expect(evidence.byteSize).toBeGreaterThan(original.byteSize); // the stamps were added
    expect(evidence.pageCount).toBe(4);
    for (const page of await extractPdfText(stored)) expect(page.text).toMatch(/VA\.GOV \d{4}-\d{2}-\d{2}/);

    const uploads = (await h.admin.uploads()).filter((u) => u.uuid === attempt.benefitsIntakeUuid);
    expect(uploads).toHaveLength(1);
    expect(uploads[0].acceptedPutCount).toBe(1);
    const sent = await readFile(path.join(h.scratch, "bi", attempt.benefitsIntakeUuid!, "attachment1.pdf"));
    expect(Buffer.compare(sent, stored)).toBe(0);
  }, 120_000);
});
