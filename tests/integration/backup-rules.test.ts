import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { idArray } from "@/db/bind-array";
import { createDb, type Db } from "@/db/client";
import { isOutstanding, isSilentFailure, outstandingSql, silentFailureSql } from "@/db/outstanding";
import { batchItems, savedClaims } from "@/db/schema";
import { type TriageState, triageStateEnum } from "@/db/schema/enums";
import { backupSkipReason, mayStartSql, SKIP_REASON_TEXT, type SkipReason } from "@/lib/backup/rules";
import { createBatch } from "@/lib/batches/create-batch";
import { buildMetadata, plainlyValidMetadataSql } from "@/lib/benefits-intake/metadata";
import { computeDryRun } from "@/lib/claims/dry-run";
import { getBoss } from "@/lib/jobs/boss";
import { dispatchBatch } from "@/lib/jobs/dispatch-batch";
import { createClaimGroup } from "../support/claims-factory";

// The rules that live twice, in TypeScript and in SQL, held to each other against PostgreSQL; and
// the Resubmit dialog's dry run held to what the Resubmit button then does, for claims in every
// triage state, in flight or not, forced or not.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 4 });
const madeHere: number[] = []; // main claims
afterAll(async () => {
  // Left in flight with no job, they would be "recovered" by the workers of later test files.
  await db.execute(
    sql`update backup_submissions set in_flight_since = null where claim_id = any(${idArray(madeHere)})`,
  );
  await db.execute(
    sql`update saved_claims set triage_state = 'excluded' where main_claim_id = any(${idArray(madeHere)})`,
  );
  await (await getBoss()).stop({ graceful: false, wait: true }).catch(() => {});
  await close();
});

const STATES = triageStateEnum.enumValues;
const one = async <T>(query: ReturnType<typeof sql>) => (Array.from(await db.execute(query)) as T[])[0];

describe("the SQL twins agree with the TypeScript", () => {
  it("mayStartSql says yes exactly where backupSkipReason finds no reason", async () => {
    for (const state of STATES)
      for (const waitingFor of [null, "evidence", "parent_claim"])
        for (const inFlight of [false, true])
          for (const force of [false, true]) {
            const claim = {
              triageState: sql`${state}::triage_state`,
              waitingFor: sql`${waitingFor}::text`,
              inFlightSince: inFlight ? sql`now()` : sql`null::timestamptz`,
            };
            const row = await one<{ may: boolean }>(sql`select ${mayStartSql(claim, force)} as may`);
            expect({ state, waitingFor, inFlight, force, may: row.may }).toEqual({
              state,
              waitingFor,
              inFlight,
              force,
              may: backupSkipReason({ triageState: state, waitingFor, inFlight }, force) === null,
            });
          }
  });

  it("outstandingSql and silentFailureSql count what isOutstanding and isSilentFailure say of each claim", async () => {
    const rows = Array.from(
      await db.execute(sql`
        select triage_state, failure_notified, ${outstandingSql()} as outstanding, ${silentFailureSql()} as silent
        from ${savedClaims}`),
    ) as { triage_state: TriageState; failure_notified: boolean; outstanding: boolean; silent: boolean }[];
    expect(rows.length).toBeGreaterThan(100);
    expect(new Set(rows.map((r) => r.triage_state)).size).toBeGreaterThan(2);
    for (const r of rows) {
      expect(r.outstanding).toBe(isOutstanding(r.triage_state));
      expect(r.silent).toBe(isSilentFailure({ triageState: r.triage_state, failureNotified: r.failure_notified }));
    }
  });

  it("plainlyValidMetadataSql vouches only for names and file numbers buildMetadata passes unchanged", async () => {
    const names = ["Alex", "Mary Ann", "Smith-Jones", "A/B", "Zoë", "O'Neil", " Alex", "Alex ", "Mary  Ann", ""];
    const longName = "A".repeat(50);
    const fileNumbers = ["123456789", "12345678", "1234567", "123-45-6789", "1234567890"];
    let vouched = 0;
    for (const first of [...names, longName, `${longName}A`])
      for (const fileNumber of fileNumbers) {
        const claim = {
          firstName: sql`${first}::text`,
          lastName: sql`'Testperson'::text`,
          fileNumber: sql`${fileNumber}::text`,
        };
        const { plain } = await one<{ plain: boolean }>(sql`select ${plainlyValidMetadataSql(claim)} as plain`);
        if (!plain) continue;
        vouched++;
        const built = buildMetadata({
          veteranFirstName: first,
          veteranLastName: "Testperson",
          fileNumber,
          zipCode: null,
          formType: "21-526EZ",
          submittedAt: new Date(),
        });
        expect(built.ok, `${first} / ${fileNumber}`).toBe(true);
        expect(built.metadata).toMatchObject({ veteranFirstName: first, fileNumber });
      }
    expect(vouched).toBe(5 * 2); // the five plain names (one of 50 letters, not 51) by the two plain file numbers
  });
});

// One claim group per triage state, in flight or not, and a 686c with a 674 named by its 674 alone.
async function claimsInEveryState() {
  const selected: number[] = [];
  const setUp = async (state: TriageState, inFlight: boolean, dependents = false) => {
    const group = await createClaimGroup(db, { dependents });
    madeHere.push(group.mainClaimId);
    await db.execute(sql`update saved_claims set triage_state = ${state} where main_claim_id = ${group.mainClaimId}`);
    if (inFlight)
      await db.execute(sql`
        insert into backup_submissions (claim_id, form_type, in_flight_since)
        select id, form_type, now() from saved_claims where id = ${group.mainClaimId}`);
    selected.push(dependents ? group.claimIds[1] : group.mainClaimId);
  };
  for (const state of STATES) for (const inFlight of [false, true]) await setUp(state, inFlight);
  await setUp("failed", false, true);
  // Ingested claims still waiting for their evidence or their 686c: refused, forced or not.
  for (const waitingFor of ["evidence", "parent_claim"]) {
    await setUp("failed", false);
    await db.execute(sql`update saved_claims set waiting_for = ${waitingFor} where id = ${selected.at(-1)!}`);
  }
  return selected;
}

class RolledBack extends Error {}

// What the Resubmit button does with a selection (create-batch, then the dispatcher's tick, then the
// one door into the backup flow), in a transaction rolled back afterwards: the batch items say
// which claims started and why the others did not.
async function resubmitAndRollBack(where: ReturnType<typeof sql>, force: boolean) {
  let outcome: { started: number; skipped: Map<SkipReason, number> } | undefined;
  const reasonOf = new Map(Object.entries(SKIP_REASON_TEXT).map(([r, text]) => [`Skipped: ${text}`, r as SkipReason]));
  await db
    .transaction(async (tx) => {
      const [user] = Array.from(
        await tx.execute(sql`select id::int, email from users where email = 'triager@example.com'`),
      ) as { id: number; email: string }[];
      const { batchId } = await createBatch(
        tx as unknown as Db,
        { name: "rules test", reason: "rules test", source: "filter", user, ratePerMinute: 10_000, force, start: true },
        { where },
      );
      await dispatchBatch(tx as unknown as Db, batchId);
      const items = await tx
        .select({ state: batchItems.state, message: batchItems.message })
        .from(batchItems)
        .where(sql`${batchItems.batchId} = ${batchId}`);
      const skipped = new Map<SkipReason, number>();
      for (const item of items.filter((i) => i.state === "skipped")) {
        const reason = reasonOf.get(item.message ?? "");
        if (!reason) throw new Error(`unexpected skip message: ${item.message}`);
        skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      }
      expect(items.filter((i) => i.state !== "skipped").every((i) => i.state === "in_progress")).toBe(true);
      outcome = { started: items.filter((i) => i.state === "in_progress").length, skipped };
      throw new RolledBack();
    })
    .catch((e) => {
      if (!(e instanceof RolledBack)) throw e;
    });
  return outcome!;
}

describe("the dry run and the real start cannot disagree", () => {
  it("counts the claims that will start, and those skipped by reason, as the Resubmit button then does", async () => {
    const selected = await claimsInEveryState();
    const where = sql`${savedClaims.id} = any(${idArray(selected)})`;
    for (const force of [false, true]) {
      const dryRun = await computeDryRun(db, where, { force });
      const real = await resubmitAndRollBack(where, force);
      expect(dryRun.backups).toBe(selected.length);
      expect({ force, willStart: dryRun.willStart }).toEqual({ force, willStart: real.started });
      expect({ force, skipped: Object.fromEntries(dryRun.skipped.map((s) => [s.reason, s.count])) }).toEqual({
        force,
        skipped: Object.fromEntries(real.skipped),
      });
      // Every reason is exercised somewhere in the matrix.
      expect(dryRun.willStart).toBeGreaterThan(0);
      expect(real.skipped.get("already_in_flight")).toBeGreaterThan(0);
      expect(real.skipped.get("excluded")).toBe(2);
      expect(real.skipped.get("waiting_for_evidence")).toBe(1);
      expect(real.skipped.get("waiting_for_parent_claim")).toBe(1);
    }
  });
});
