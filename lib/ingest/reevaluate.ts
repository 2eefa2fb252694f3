import type { Db } from "@/db/client";
import { getRecordsDue } from "@/db/queries/ingest-records";
import { REQUEST_LIMITS } from "./submissions-request";
import { ingestRecords } from "./write-records";

// A claim the source had in process becomes failed when its time runs out, whether or not the
// source sends the record again: the records due are classified again as of `now`, through the same
// import (same content, another rule: an update), a chunk at a time. For a recurring job, or
// `npm run ingest -- --reevaluate`.
export async function reevaluateDueRecords(db: Db, now = new Date(), limit = REQUEST_LIMITS.records) {
  const due = await getRecordsDue(db, now, limit);
  const results = await ingestRecords(
    db,
    due.map((value, index) => ({ index, value })),
    "reevaluate",
    now,
  );
  return { examined: due.length, changed: results.filter((r) => r.result === "updated").length };
}
