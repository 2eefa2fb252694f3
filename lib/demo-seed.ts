import { createDb } from "@/db/client";
import { recordIngestFile } from "@/db/queries/ingest-files";
import {
  failedMainClaims,
  finishSeed,
  historyIdsFrom,
  insertHistoricalBatches,
  isSeeded,
  writeHistory,
} from "@/db/seed";
import { createSeedHistory, emptyHistory } from "@/db/seed/history";
import { createIngestSample, type SampleEvidenceFile } from "@/db/seed/ingest-sample";
import { createRandom } from "@/db/seed/random";
import { sampleFiles } from "@/db/seed/sample-files";
import { seedUsers } from "@/db/seed/users";
import { type PreparedChunk, prepareRecords } from "./ingest/prepare-records";
import { REQUEST_LIMITS } from "./ingest/submissions-request";
import { writePrepared } from "./ingest/write-records";
import type { DocumentStorage } from "./pdf/storage";

// The demo data comes in through the front door (issue #12): the records a system of record would
// send (db/seed/ingest-sample.ts, the mix DESIGN §9 describes) go through the same import as
// POST /api/ingest/submissions and `npm run ingest`, a request's worth at a time, after their
// evidence files have arrived as PUT /api/ingest/files would store them. On top, the tool's own past:
// the console batches that already re-submitted most of the failures (db/seed/history.ts). Runs
// once per database; `npm run dev`, `npm test` and `npm run bench` all seed this way.

export const DEMO_SOURCE = "vets-api";

type SeedOptions = {
  claims: number;
  storage: Pick<DocumentStorage, "put">;
  now?: Date;
  log?: (line: string) => void;
};

export async function runSeed(url: string, options: SeedOptions) {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const { db, sql, close } = createDb(url, { max: 2 });
  try {
    if (await isSeeded(sql)) {
      log("demo data already present; skipping seed");
      return;
    }
    const started = Date.now();
    await seedUsers(sql);
    await insertHistoricalBatches(sql, now);
    const evidenceFiles = await storeEvidence(db, options.storage);
    const nextVeteran = createIngestSample({ seed: 20_221, system: DEMO_SOURCE, now, evidenceFiles });
    const history = createSeedHistory(createRandom(20_222), now, await historyIdsFrom(sql));
    let made = 0;
    let written = 0;
    let lastLog = 0;
    // One chunk is written (and its history added) while the next is generated and prepared: the
    // preparing is JavaScript, the writing mostly PostgreSQL (the file import keeps two in writing).
    const write = async (prepared: PreparedChunk, count: number) => {
      const results = await writePrepared(db, prepared, "seed");
      const refused = results.filter((r) => r.result === "refused");
      if (refused.length > 0) throw new Error(`the demo seed's own records were refused (${refused.length})`);
      const rows = emptyHistory();
      const claimIds = results.flatMap((r) => ("claimId" in r ? [r.claimId] : []));
      for (const claim of await failedMainClaims(sql, claimIds)) history.add(rows, claim);
      await writeHistory(sql, rows);
      written += count;
      if (written - lastLog >= 20_000) {
        lastLog = written;
        log(`seeded ${written} claims`);
      }
    };
    let writing: Promise<void> | null = null;
    try {
      while (made < options.claims) {
        const records: object[] = [];
        while (made + records.length < options.claims && records.length < REQUEST_LIMITS.records - 8)
          records.push(...nextVeteran());
        const prepared = await prepareRecords(
          records.map((value, index) => ({ index, value })),
          now,
        );
        if (writing) await writing;
        writing = write(prepared, records.length);
        writing.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
        made += records.length;
      }
      await writing;
    } finally {
      // A chunk still being written (the loop failed) must end before the connection closes.
      await Promise.resolve(writing).catch(() => {});
    }
    await finishSeed(sql, history.departures, now, made);
    log(`seeded ${made} claims through the ingest in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await close();
  }
}

// The evidence the demo records cite, stored and recorded as received, so no claim waits for it.
async function storeEvidence(db: ReturnType<typeof createDb>["db"], storage: Pick<DocumentStorage, "put">) {
  const files: SampleEvidenceFile[] = [];
  for (const f of await sampleFiles()) {
    const stored = await storage.put(f.bytes);
    await db.transaction((tx) =>
      recordIngestFile(tx, {
        sha256: stored.sha256,
        byteSize: stored.byteSize,
        contentType: f.contentType,
        storageKey: stored.storageKey,
      }),
    );
    files.push({ sha256: stored.sha256, fileName: f.fileName, contentType: f.contentType, byteSize: stored.byteSize });
  }
  return files;
}
