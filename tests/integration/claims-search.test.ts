import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/db/client";
import { claimsWhere, getClaimsPage } from "@/db/queries/claims-list";
import { loadClaimsPage } from "@/lib/claims/load-claims";
import { parseClaimsSearch } from "@/lib/claims/search-params";
import { createClaimGroup, testVeteran } from "../support/claims-factory";

// The search box against the real database: names without their accents or case, a full name
// either way round, an e-mail, each through an index; and a number that is both a claim id and the
// end of file numbers says which rows matched which.

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(close);

const pii = { piiSearch: true };
let claimId = 0;

beforeAll(async () => {
  const veteran = testVeteran({ firstName: "Zoë", lastName: "Ñandú-Probe", email: "Zoe.Nandu@Example.com" });
  claimId = (await createClaimGroup(db as Db, { veteran })).mainClaimId;
});

async function idsFor(q: string, piiSearch = true) {
  const { records } = await getClaimsPage(db, {
    where: claimsWhere({ q }, { piiSearch }),
    sort: { id: "id", desc: false },
    pageIndex: 0,
    pageSize: 100,
  });
  return records.map((r) => r.id);
}

describe("claims search", () => {
  it("finds a name without its accents, in any case, and the full name either way round", async () => {
    for (const q of ["Ñandú-Probe", "nandu-probe", "NANDU-PROBE", "Zoe Nandu-Probe", "Nandú-Probe, ZOË"])
      expect(await idsFor(q), q).toContain(claimId);
    for (const q of ["Zoe Other", "Nandu", "Ann Nandu-Probe"]) expect(await idsFor(q), q).not.toContain(claimId);
    expect(await idsFor("Zoe Nandu-Probe", false)).toEqual([]);
  });

  it("finds a claim by its e-mail, in any case", async () => {
    expect(await idsFor("zoe.nandu@example.com")).toEqual([claimId]);
    expect(await idsFor("ZOE.NANDU@EXAMPLE.COM")).toEqual([claimId]);
    expect(await idsFor("zoe.nandu@example.com", false)).toEqual([]);
  });

  it("looks names and e-mails up through their indexes", async () => {
    for (const [q, index] of [
      ["nandu-probe", "saved_claims_last_name_key_idx"],
      ["Zoe Nandu-Probe", "saved_claims_full_name_key_idx"],
      ["zoe.nandu@example.com", "saved_claims_email_idx"],
    ]) {
      const plan = await db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const rows = await tx.execute(sql`explain select id from saved_claims where ${claimsWhere({ q }, pii)}`);
        return rows.map((r) => Object.values(r)[0]).join("\n");
      });
      expect(plan, q).toContain(index);
    }
  });

  it("says which rows a number matched as a claim id and which as the last 4 of a file number", async () => {
    const [row] = await db.execute<{ id: number; last4: string }>(sql`
      select c.id::int, c.file_last4 as last4 from saved_claims c
      where c.id between 1000 and 9999 and exists (select 1 from saved_claims o where o.file_last4 = c.id::text)
      limit 1`);
    expect(row).toBeDefined();
    const q = String(row.id);
    const user = { id: 1, email: "triager@example.com", name: "T", role: "triager" as const };
    const page = await loadClaimsPage(db as Db, user, parseClaimsSearch({ q, size: "100" }));
    expect(page.searchMatches.map((m) => m.label)).toEqual(["claim id", "last 4 of the file number"]);
    expect(page.searchMatches[0].count).toEqual({ count: 1, exact: true });
    expect(page.searchMatches[1].count.count).toBeGreaterThan(0);
    expect(page.rows.find((r) => r.id === row.id)?.matchedOn).toBe("claim id");
    expect(page.rows.filter((r) => r.id !== row.id).every((r) => r.matchedOn === "last 4 of the file number")).toBe(
      true,
    );
  });
});
