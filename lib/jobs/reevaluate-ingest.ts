import { z } from "zod";
import { reevaluateDueRecords } from "../ingest/reevaluate";
import { REQUEST_LIMITS } from "../ingest/submissions-request";
import { log } from "../log";
import { defineJob } from "./job";

// A claim the source had in process becomes failed when its time runs out, whether or not the
// source ever sends its record again (DESIGN §9's stale-pending rules): every worker offers this
// every few minutes, one runs it. The rules count in days, so minutes late is on time. A run takes
// the records due a chunk at a time, up to MAX_CHUNKS, and leaves the rest for the next run.

const EVERY_SECONDS = 300;
const MAX_CHUNKS = 20;

export const reevaluateIngestJob = defineJob({
  queue: { name: "reevaluate-ingest", policy: "standard", retryLimit: 0, expireInSeconds: 600 },
  payloadSchema: z.object({}).passthrough(),
  concurrency: () => 1,
  periodic: { singletonKey: "reevaluate-ingest", everySeconds: () => EVERY_SECONDS },
  handler: async (deps) => void (await reevaluateAllDue(deps.db)),
});

export async function reevaluateAllDue(db: Parameters<typeof reevaluateDueRecords>[0], now = new Date()) {
  let examined = 0;
  let changed = 0;
  for (let chunk = 0; chunk < MAX_CHUNKS; chunk++) {
    const run = await reevaluateDueRecords(db, now);
    examined += run.examined;
    changed += run.changed;
    if (run.examined < REQUEST_LIMITS.records) break;
  }
  if (examined > 0) log.info({ examined, changed }, "ingest records whose time ran out classified again");
  return { examined, changed };
}
