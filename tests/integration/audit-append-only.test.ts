import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { MIGRATIONS_DIR } from "@/db/migrate";
import { recordAudit } from "@/db/queries/audit";
import { auditEvents } from "@/db/schema";

// The audit log is append-only (#13.5): migration 0013's trigger refuses UPDATE, DELETE and TRUNCATE
// from the application's own connection (in the tests, as in a careless deployment, the table's
// owner), and from a separate application role that was granted everything; the migration's REVOKE
// takes those privileges away from every role that is not the owner. Real PostgreSQL throughout.

const APP_ROLE = "claim_triage_app_test";
const APP_PASSWORD = "app-role-test-password";
const { db, sql: owner, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
let appRole: postgres.Sql;
let eventId: number;

beforeAll(async () => {
  const [admin] = await owner<
    { id: number; email: string }[]
  >`select id::int, email from users where email = 'admin@example.com'`;
  await recordAudit(db, { user: admin, action: "claims.export", claimCount: 3, details: { probe: "append-only" } });
  const [row] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(sql`${auditEvents.details}->>'probe' = 'append-only'`)
    .orderBy(sql`${auditEvents.id} desc`)
    .limit(1);
  eventId = row.id;
  // A role that is not the owner, granted everything on every table, as a quick set-up would.
  await owner.unsafe(`drop role if exists ${APP_ROLE}`).catch(() => {});
  await owner.unsafe(`create role ${APP_ROLE} login password '${APP_PASSWORD}'`);
  await owner.unsafe(`grant usage on schema public to ${APP_ROLE}`);
  await owner.unsafe(`grant all on all tables in schema public to ${APP_ROLE}`);
  await owner.unsafe(`grant all on all sequences in schema public to ${APP_ROLE}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.username = APP_ROLE;
  url.password = APP_PASSWORD;
  appRole = postgres(url.toString(), { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await appRole?.end();
  await owner.unsafe(`drop owned by ${APP_ROLE}`).catch(() => {});
  await owner.unsafe(`drop role if exists ${APP_ROLE}`).catch(() => {});
  await close();
});

async function refusal(statement: Promise<unknown>) {
  const error = (await statement.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; message?: string; cause?: { code?: string; message?: string } } | null;
  expect(error, "the statement was not refused").not.toBeNull();
  // drizzle wraps the driver's error: the SQLSTATE is on its cause.
  return { code: error?.code ?? error?.cause?.code, message: error?.cause?.message ?? error?.message ?? "" };
}

async function theEvent() {
  const [row] = await db.select().from(auditEvents).where(eq(auditEvents.id, eventId));
  return row;
}

describe("audit_events is append-only", () => {
  it("refuses UPDATE, DELETE and TRUNCATE from the application's connection (the owner here)", async () => {
    const before = await theEvent();
    for (const statement of [
      owner`update audit_events set reason = 'rewritten' where id = ${eventId}`,
      owner`delete from audit_events where id = ${eventId}`,
      owner`truncate audit_events`,
    ]) {
      const { code, message } = await refusal(statement);
      expect(code).toBe("42501");
      expect(message).toMatch(/audit_events is append-only: (UPDATE|DELETE|TRUNCATE) is not allowed/);
    }
    // Through drizzle too, and a statement that matches no row is refused all the same.
    expect((await refusal(db.update(auditEvents).set({ reason: "x" }).where(eq(auditEvents.id, eventId)))).code).toBe(
      "42501",
    );
    expect((await refusal(db.delete(auditEvents).where(sql`false`))).code).toBe("42501");
    expect(await theEvent()).toEqual(before);
  });

  it("still takes new events", async () => {
    const [{ n: before }] = await owner<{ n: number }[]>`select count(*)::int as n from audit_events`;
    const [admin] = await owner<
      { id: number; email: string }[]
    >`select id::int, email from users where email = 'admin@example.com'`;
    await recordAudit(db, { user: admin, action: "claims.export", claimCount: 1 });
    const [{ n: after }] = await owner<{ n: number }[]>`select count(*)::int as n from audit_events`;
    expect(after).toBe(before + 1);
  });

  it("refuses them from an application role that is not the owner, even one granted everything", async () => {
    const [inserted] = await appRole<{ id: number }[]>`
      insert into audit_events (user_email, action) values ('app-role@example.com', 'claims.export') returning id::int`;
    expect(inserted.id).toBeGreaterThan(eventId);
    for (const statement of [
      appRole`update audit_events set reason = 'rewritten' where id = ${eventId}`,
      appRole`delete from audit_events where id = ${inserted.id}`,
      appRole`truncate audit_events`,
    ]) {
      expect((await refusal(statement)).code).toBe("42501");
    }
    // Not the owner: it cannot take the trigger off either.
    const disable = await refusal(appRole`alter table audit_events disable trigger audit_events_append_only`);
    expect(disable.code).toBe("42501");
    expect(disable.message).toMatch(/must be owner/);
  });

  it("migration 0013's REVOKE takes UPDATE, DELETE and TRUNCATE from every role but the owner", async () => {
    const privileges = async () =>
      Object.fromEntries(
        await Promise.all(
          ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"].map(async (p) => {
            const [row] = await owner<
              { ok: boolean }[]
            >`select has_table_privilege(${APP_ROLE}, 'audit_events', ${p}) as ok`;
            return [p, row.ok] as const;
          }),
        ),
      );
    expect(await privileges()).toEqual({ SELECT: true, INSERT: true, UPDATE: true, DELETE: true, TRUNCATE: true });
    // The grant above came after the migration; run its REVOKE statements again, as written.
    const migration = readFileSync(path.join(MIGRATIONS_DIR, "0013_audit_append_only.sql"), "utf8");
    const revokes = migration.split("--> statement-breakpoint").filter((s) => /\bREVOKE\b/.test(s));
    expect(revokes).toHaveLength(2);
    for (const statement of revokes) await owner.unsafe(statement);
    expect(await privileges()).toEqual({ SELECT: true, INSERT: true, UPDATE: false, DELETE: false, TRUNCATE: false });
    // Now refused by the privileges before the trigger is reached.
    const update = await refusal(appRole`update audit_events set reason = 'x' where id = ${eventId}`);
    expect(update.message).toMatch(/permission denied/);
  });
});
