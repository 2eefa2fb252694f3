import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { createBatch } from "@/lib/batches/create-batch";
import { QUEUE_SCHEMA } from "@/lib/jobs/boss";
import { type BackupHarness, startBackupHarness, waitFor } from "../support/backup-harness";
import { createClaimGroups, testVeteran } from "../support/claims-factory";

// The global cap with real workers on the real clock: two workers (pg-boss, each its own pools)
// run the dispatchers of two batches at 600 a minute, with BENEFITS_INTAKE_MAX_PER_MINUTE at 20 (a
// start every 3 s). The time of each start is when its backup job was queued, in the dispatcher's
// transaction. batches-global-rate.test.ts checks the schedule itself on a given clock.

const CAP = 20;
const INTERVAL_MS = 60_000 / CAP;
process.env.BENEFITS_INTAKE_MAX_PER_MINUTE = String(CAP); // read by the dispatcher's job handler

let h: BackupHarness;
beforeAll(async () => {
  h = await startBackupHarness({ concurrency: 4 });
  await h.db.execute(sql`delete from dispatch_budgets`);
  // Batches other files left running would be waiting for the cap with no dispatcher to tick them.
  await h.db.execute(sql`update batches set state = 'paused' where state in ('queued', 'running')`);
  await h.startWorkers(2);
});
afterAll(async () => {
  await h?.stop();
});

describe("the global cap with two workers", () => {
  it("spaces the starts of two batches by the cap's interval across both, taking turns", async () => {
    const [user] = await h.db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(sql`${users.email} = 'triager@example.com'`);
    const claimsOf: number[][] = [];
    const batchIds: number[] = [];
    for (const name of ["A", "B"]) {
      const ids = (
        await createClaimGroups(
          h.db,
          Array.from({ length: 5 }, () => testVeteran()),
        )
      ).map((g) => g.mainClaimId);
      claimsOf.push(ids);
      const { batchId } = await createBatch(
        h.db,
        { name: `global cap ${name}`, reason: "test", source: "selection", user, ratePerMinute: 600, start: true },
        { claimIds: ids },
      );
      batchIds.push(batchId);
    }
    const all = claimsOf.flat();
    const starts = await waitFor(
      "eight starts",
      async () => {
        const rows = Array.from(
          await h.db.execute<{ claim_id: number; at: number }>(sql`
            select (data->>'claimId')::bigint as claim_id,
              (extract(epoch from min(created_on)) * 1000)::float8 as at
            from ${sql.identifier(QUEUE_SCHEMA)}.job
            where name = 'backup-claim' and (data->>'claimId')::bigint = any(${`{${all.join(",")}}`}::bigint[])
            group by 1 order by 2`),
        );
        return rows.length >= 8 ? rows.map((r) => ({ claimId: Number(r.claim_id), at: Number(r.at) })) : null;
      },
      90_000,
    );
    await h.db.execute(sql`update batches set state = 'cancelled' where id in (${batchIds[0]}, ${batchIds[1]})`);

    const gaps = starts.slice(1).map((s, i) => s.at - starts[i].at);
    // The schedule puts starts exactly INTERVAL_MS apart on the dispatcher's clock; a job's queue
    // time is taken a moment after that clock is read, so allow a little for the machine's load.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - 250);
    // Without the cap the two batches would have started all ten claims in the first 2 s tick.
    expect(starts.at(-1)!.at - starts[0].at).toBeGreaterThanOrEqual((starts.length - 1) * (INTERVAL_MS - 250));
    const fromA = starts.filter((s) => claimsOf[0].includes(s.claimId)).length;
    expect(Math.abs(fromA - (starts.length - fromA))).toBeLessThanOrEqual(2);
  });
});
