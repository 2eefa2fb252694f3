import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backupSubmissions, documents, savedClaims } from "@/db/schema";
import { startBackup } from "@/lib/backup/start-backup";
import { getEnv } from "@/lib/env";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { makeDependents, postRecords, putFile, sha256, sourceSystem } from "../support/ingest-records";
import { makePng, makeSizedPdf } from "../support/pdf-test-files";

// Issue #12: a claim that came in through ingest goes through the existing backup flow like any
// other — its group, its form data and the evidence files sent by hash, read from the same storage
// the file route wrote them to, over real HTTP to the local Benefits Intake service.

vi.hoisted(() => {
  process.env.INGEST_TOKENS = `test-ingest-token-${"k".repeat(32)}`;
});

let h: BackupHarness;
beforeAll(async () => {
  h = await startBackupHarness({ storage: { kind: "local", dir: getEnv().STORAGE_DIR } });
  await h.startWorkers(1);
});
afterAll(async () => h?.stop());

describe("an ingested claim in the backup flow", () => {
  it("uploads a 686c, its 674 and the evidence filed with either, stamped, once the files have arrived", async () => {
    const pdf = await makeSizedPdf([[612, 792]], { text: `Ingested evidence ${Date.now()}` });
    const png = makePng(40 + Math.floor(Math.random() * 400), 48); // bytes no earlier run stored
    const system = sourceSystem();
    const { parent, children } = makeDependents(system, 1, (r) => {
      r.claimDate = "2022-06-14T15:12:00Z";
    });
    parent.evidence = [
      { sha256: sha256(pdf), fileName: "records.pdf", contentType: "application/pdf", byteSize: pdf.length },
    ];
    // Filed with the 674: it travels in the 686c's one upload all the same.
    children[0].evidence = [
      { sha256: sha256(png), fileName: "photo.png", contentType: "image/png", byteSize: png.length },
    ];
    const { results } = (await postRecords([children[0], parent])).body;
    const mainClaimId = results[1].claimId!;
    expect(results.map((r) => r.waitingFor)).toEqual(["evidence", "evidence"]); // the group waits
    expect((await putFile(sha256(pdf), pdf)).status).toBe(201);
    expect((await putFile(sha256(png), png)).body).toMatchObject({ result: "stored", released: 1 });

    expect(
      (
        await startBackup(h.db, {
          claimId: results[0].claimId!,
          trigger: "user",
          userId: null,
          batchId: null,
          force: false,
        })
      ).started,
    ).toBe(true);
    const submission = await waitFor("the backup to settle", async () => {
      const [s] = await h.db.select().from(backupSubmissions).where(eq(backupSubmissions.claimId, mainClaimId));
      return s && s.inFlightSince === null ? s : null;
    });
    expect(submission.latestStatus).toBe("submitted");
    const docs = await h.db
      .select()
      .from(documents)
      .where(and(eq(documents.claimId, mainClaimId)))
      .orderBy(asc(documents.position));
    expect(docs.map((d) => [d.role, d.formType, d.fileName])).toEqual([
      ["main", "21-686C", expect.any(String)],
      ["attachment", "21-674", expect.any(String)],
      ["attachment", "attachment", "attachment_2_records.pdf"],
      ["attachment", "attachment", "attachment_3_photo.pdf"], // the image became a PDF page
    ]);
    const claims = await h.db.select().from(savedClaims).where(eq(savedClaims.mainClaimId, mainClaimId));
    expect(claims.map((c) => c.triageState)).toEqual(["submitted", "submitted"]);
  });
});
