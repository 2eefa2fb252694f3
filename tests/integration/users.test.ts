import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createDb } from "@/db/client";
import { getUserById, recordOidcSignIn } from "@/db/queries/users";
import { decideOidcAccess } from "@/lib/auth/oidc-access";
import { oidcAccessConfig } from "@/lib/auth/oidc-config";
import { getEnv } from "@/lib/env";
import { sessionOf } from "../support/fake-session";

// Identity (issue 13 §2) against the real database: the ID token's claims decide who comes in and
// as what (the real next-auth callbacks of lib/auth/options.ts write the row), and the Users page's
// actions change roles and disable accounts through the real action wrapper, with their audit
// events and the session check that refuses a disabled account at its next request.

const ISSUER = "https://idp.integration.example";
vi.hoisted(() => {
  Object.assign(process.env, {
    OIDC_ISSUER: "https://idp.integration.example",
    OIDC_CLIENT_ID: "claim-triage",
    OIDC_CLIENT_SECRET: "integration-only",
    OIDC_ALLOWED_GROUPS: "triage-admins,triage-staff,triage-readers",
    OIDC_ROLE_GROUPS: "triage-admins=admin,triage-staff=triager",
    NEXTAUTH_URL: "http://localhost:3000",
  });
});
const session = vi.hoisted(() => ({ userId: null as number | null }));
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => (session.userId === null ? null : sessionOf(session.userId)),
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { db, close } = createDb(process.env.DATABASE_URL!, { max: 2 });
afterAll(async () => close());

type Claims = Record<string, unknown>;
const person = (overrides: Claims = {}): Claims => {
  const id = randomUUID();
  return {
    iss: ISSUER,
    sub: `sub-${id}`,
    email: `Person.${id}@Agency.example`,
    email_verified: true,
    name: "Pat Example",
    groups: ["triage-readers"],
    ...overrides,
  };
};

async function signInCallback(claims: Claims) {
  const { getAuthOptions } = await import("@/lib/auth/options");
  const { callbacks } = getAuthOptions();
  const account = { provider: "oidc", type: "oauth" as const, providerAccountId: String(claims.sub) };
  const user = { id: String(claims.sub), email: String(claims.email), name: String(claims.name) };
  const allowed = await callbacks!.signIn!({ user, account, profile: claims } as never);
  if (allowed !== true) return { allowed, uid: null };
  const token = await callbacks!.jwt!({ token: {}, user, account, profile: claims } as never);
  return { allowed, uid: token.uid as number };
}

const rowsFor = async (subject: string) =>
  db.execute<{ id: number; role: string }>(sql`select id::int, role from users where subject = ${subject}`);

describe("the ID token's groups decide access and role", () => {
  const decide = (claims: Claims) => decideOidcAccess(claims, oidcAccessConfig(getEnv()));
  const roleOf = (claims: Claims) => {
    const d = decide(claims);
    return d.ok ? d.role : d.reason;
  };

  it("maps groups to the highest role, an allowed group alone to viewer", () => {
    expect(roleOf(person({ groups: ["triage-admins"] }))).toBe("admin");
    expect(roleOf(person({ groups: ["triage-staff"] }))).toBe("triager");
    expect(roleOf(person({ groups: ["triage-readers"] }))).toBe("viewer");
    expect(roleOf(person({ groups: ["triage-readers", "triage-staff", "triage-admins"] }))).toBe("admin");
    expect(roleOf(person({ groups: "triage-staff payroll" }))).toBe("triager");
  });

  it("refuses people outside the allowed groups and unverified e-mail", () => {
    expect(roleOf(person({ groups: ["payroll"] }))).toBe("no_allowed_group");
    expect(roleOf(person({ groups: [] }))).toBe("no_allowed_group");
    expect(roleOf(person({ groups: undefined }))).toBe("no_allowed_group");
    expect(roleOf(person({ groups: ["TRIAGE-ADMINS"] }))).toBe("no_allowed_group");
    expect(roleOf(person({ email_verified: false, groups: ["triage-admins"] }))).toBe("unverified_email");
    expect(roleOf(person({ email_verified: undefined }))).toBe("unverified_email");
    expect(roleOf(person({ email_verified: "false" }))).toBe("unverified_email");
    expect(roleOf(person({ email_verified: "true" }))).toBe("viewer");
    expect(roleOf(person({ sub: undefined }))).toBe("incomplete_profile");
    expect(roleOf(person({ email: undefined }))).toBe("incomplete_profile");
  });
});

describe("sign-in through the identity provider", () => {
  it("creates the person keyed by issuer and subject, with the role of their groups", async () => {
    const claims = person({ groups: ["triage-admins"] });
    const { allowed, uid } = await signInCallback(claims);
    expect(allowed).toBe(true);
    const row = await getUserById(db, uid!);
    expect(row).toMatchObject({ issuer: ISSUER, subject: claims.sub, role: "admin", roleSetByAdmin: false });
    expect(row?.email).toBe(String(claims.email).toLowerCase());
    expect(row?.lastSignInAt).toBeInstanceOf(Date);
  });

  it("refuses with a reason and writes nothing for no allowed group or an unverified e-mail", async () => {
    for (const [claims, reason] of [
      [person({ groups: ["payroll"] }), "no_allowed_group"],
      [person({ email_verified: false, groups: ["triage-admins"] }), "unverified_email"],
    ] as const) {
      const { allowed } = await signInCallback(claims);
      expect(allowed).toBe(`http://localhost:3000/signin/refused?reason=${reason}`);
      expect(await rowsFor(String(claims.sub))).toHaveLength(0);
    }
  });

  it("never matches by e-mail: a new subject with a known e-mail is another person", async () => {
    const first = person({ groups: ["triage-admins"] });
    const second = person({ email: first.email, groups: ["triage-readers"] });
    const a = await signInCallback(first);
    const b = await signInCallback(second);
    expect(b.uid).not.toBe(a.uid);
    expect((await getUserById(db, b.uid!))?.role).toBe("viewer");
  });

  it("follows the groups at each sign-in until an admin chooses the role", async () => {
    const claims = person({ groups: ["triage-staff"] });
    const { uid } = await signInCallback(claims);
    expect((await getUserById(db, uid!))?.role).toBe("triager");
    await signInCallback({ ...claims, groups: ["triage-admins"], name: "Pat Renamed" });
    expect(await getUserById(db, uid!)).toMatchObject({ role: "admin", name: "Pat Renamed" });
    await db.execute(sql`update users set role = 'viewer', role_set_by_admin = true where id = ${uid}`);
    await signInCallback({ ...claims, groups: ["triage-admins"] });
    expect((await getUserById(db, uid!))?.role).toBe("viewer");
  });

  it("refuses a disabled account and leaves its row as it was", async () => {
    const claims = person();
    const { uid } = await signInCallback(claims);
    await db.execute(sql`update users set disabled_at = now(), last_sign_in_at = '2020-01-01' where id = ${uid}`);
    const { allowed } = await signInCallback(claims);
    expect(allowed).toBe("http://localhost:3000/signin/refused?reason=disabled");
    expect((await getUserById(db, uid!))?.lastSignInAt?.toISOString()).toBe("2020-01-01T00:00:00.000Z");
  });

  it("hands a row from before (issuer, subject) to the first verified sign-in with its e-mail", async () => {
    const email = `legacy.${randomUUID()}@agency.example`;
    const [legacy] = await db.execute<{ id: number }>(
      sql`insert into users (issuer, subject, email, name, role)
        values ('legacy-email', ${email}, ${email}, 'Old Row', 'admin') returning id::int`,
    );
    const claims = person({ email, groups: ["triage-readers"] });
    const { uid } = await signInCallback(claims);
    expect(uid).toBe(Number(legacy.id));
    // The old default role is not trusted: the groups decide.
    expect(await getUserById(db, uid!)).toMatchObject({ issuer: ISSUER, subject: claims.sub, role: "viewer" });
  });
});

describe("the development sign-in", () => {
  it("signs in a seeded user by id and refuses a disabled one", async () => {
    const { getAuthOptions } = await import("@/lib/auth/options");
    const { callbacks } = getAuthOptions();
    const email = `dev.${randomUUID()}@example.com`;
    const [row] = await db.execute<{ id: number }>(
      sql`insert into users (issuer, subject, email, name, role) values ('dev', ${email}, ${email}, 'Dev', 'viewer')
        returning id::int`,
    );
    const id = Number(row.id);
    const account = { provider: "dev", type: "credentials" as const, providerAccountId: String(id) };
    const user = { id: String(id), email, name: "Dev" };
    expect(await callbacks!.signIn!({ user, account } as never)).toBe(true);
    expect((await callbacks!.jwt!({ token: {}, user, account } as never)).uid).toBe(id);
    await db.execute(sql`update users set disabled_at = now() where id = ${id}`);
    expect(await callbacks!.signIn!({ user, account } as never)).toBe(
      "http://localhost:3000/signin/refused?reason=disabled",
    );
  });
});

async function seededId(role: string) {
  const [row] = await db.execute<{ id: number }>(
    sql`select id::int from users where issuer = 'dev' and subject = ${`${role}@example.com`}`,
  );
  return Number(row.id);
}

async function newPerson(groups: string[]) {
  const claims = person({ groups });
  const decision = decideOidcAccess(claims, oidcAccessConfig(getEnv()));
  if (!decision.ok) throw new Error(decision.reason);
  return recordOidcSignIn(db, { identity: decision.identity, role: decision.role });
}

const auditFor = async (userId: number) =>
  db.execute<{ action: string; user_email: string; details: Record<string, unknown> }>(
    sql`select action, user_email, details from audit_events
      where action like 'user.%' and (details->>'userId')::bigint = ${userId} order by id`,
  );

describe("the Users page's actions", () => {
  it("are refused below admin, on the server", async () => {
    const { changeUserRoleAction } = await import("@/lib/actions/users/change-user-role");
    const { disableUserAction } = await import("@/lib/actions/users/disable-user");
    const { enableUserAction } = await import("@/lib/actions/users/enable-user");
    const target = await newPerson(["triage-readers"]);
    for (const role of ["anonymous", "viewer", "triager"]) {
      session.userId = role === "anonymous" ? null : await seededId(role);
      for (const result of [
        await changeUserRoleAction({ userId: target.id, role: "admin" }),
        await disableUserAction({ userId: target.id }),
        await enableUserAction({ userId: target.id }),
      ]) {
        expect("error" in result && result.error).toMatch(/Sign in to continue|needs the admin role/);
      }
    }
    expect(await getUserById(db, target.id)).toMatchObject({ role: "viewer", disabledAt: null });
    expect(await auditFor(target.id)).toHaveLength(0);
  });

  it("change another person's role, audited, and the role holds at their next request", async () => {
    const { changeUserRoleAction } = await import("@/lib/actions/users/change-user-role");
    const { authorize } = await import("@/lib/auth/session");
    const target = await newPerson(["triage-readers"]);
    session.userId = await seededId("admin");
    expect(await changeUserRoleAction({ userId: target.id, role: "triager" })).toEqual({
      data: { ok: true, changed: true },
    });
    expect(await getUserById(db, target.id)).toMatchObject({ role: "triager", roleSetByAdmin: true });
    const audit = await auditFor(target.id);
    expect(audit).toEqual([
      {
        action: "user.role_change",
        user_email: "admin@example.com",
        details: { userId: target.id, name: target.name, from: "viewer", to: "triager" },
      },
    ]);
    session.userId = target.id;
    const seen = await authorize("triager");
    expect(seen.ok && seen.user.role).toBe("triager");
  });

  it("refuse an admin's own role and account, an unknown user and a role that does not exist", async () => {
    const { changeUserRoleAction } = await import("@/lib/actions/users/change-user-role");
    const { disableUserAction } = await import("@/lib/actions/users/disable-user");
    const admin = await seededId("admin");
    session.userId = admin;
    expect(await changeUserRoleAction({ userId: admin, role: "viewer" })).toEqual({
      error: "You cannot change your own role.",
    });
    expect(await disableUserAction({ userId: admin })).toEqual({
      error: "You cannot disable or enable your own account.",
    });
    expect(await changeUserRoleAction({ userId: 2_000_000_000, role: "viewer" })).toEqual({ error: "No such user." });
    const forged = await changeUserRoleAction({ userId: admin + 1, role: "superuser" as never });
    expect("error" in forged && forged.fieldErrors?.role).toBeTruthy();
    expect((await getUserById(db, admin))?.role).toBe("admin");
    expect(await auditFor(admin)).toHaveLength(0);
  });

  it("disable an account: its session is refused at the next request; enabling lets it back", async () => {
    const { disableUserAction } = await import("@/lib/actions/users/disable-user");
    const { enableUserAction } = await import("@/lib/actions/users/enable-user");
    const { authorize } = await import("@/lib/auth/session");
    const target = await newPerson(["triage-staff"]);
    session.userId = target.id;
    expect((await authorize("triager")).ok).toBe(true);

    session.userId = await seededId("admin");
    expect(await disableUserAction({ userId: target.id })).toEqual({ data: { ok: true, changed: true } });
    expect(await disableUserAction({ userId: target.id })).toEqual({ data: { ok: true, changed: false } });
    session.userId = target.id;
    expect(await authorize("viewer")).toMatchObject({ ok: false, status: 401, refusal: "disabled" });
    // Its own actions are refused too, and its row is still there for the history.
    const { changeUserRoleAction } = await import("@/lib/actions/users/change-user-role");
    expect(await changeUserRoleAction({ userId: target.id, role: "admin" })).toMatchObject({
      error: expect.stringMatching(/disabled/),
    });
    expect((await getUserById(db, target.id))?.disabledAt).toBeInstanceOf(Date);

    session.userId = await seededId("admin");
    expect(await enableUserAction({ userId: target.id })).toEqual({ data: { ok: true, changed: true } });
    session.userId = target.id;
    expect((await authorize("triager")).ok).toBe(true);
    expect((await auditFor(target.id)).map((a) => a.action)).toEqual(["user.disable", "user.enable"]);
  });
});
