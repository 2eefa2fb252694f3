import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDevUser, getUserById, getUserByIdentity, recordDevSignIn, recordOidcSignIn } from "@/db/queries/users";
import { getDb } from "../db";
import { getEnv } from "../env";
import { log } from "../log";
import { decideOidcAccess, type RefusalReason } from "./oidc-access";
import { oidcAccessConfig } from "./oidc-config";

// Sessions are signed JWT cookies that carry only the user's id; the role and whether the account
// is still enabled are read from the users table on every request (lib/auth/session.ts), so a
// changed role or a disabled account takes effect at the next click.

const OIDC = "oidc";
const DEV = "dev";

// next-auth's client reads the answer as a URL, so the refusal page is given absolute.
function refusedUrl(reason: RefusalReason) {
  return new URL(`/signin/refused?reason=${reason}`, getEnv().NEXTAUTH_URL ?? "http://localhost:3000").toString();
}

export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  const providers: NextAuthOptions["providers"] = [];

  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push({
      id: OIDC,
      name: "VA single sign-on",
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: env.OIDC_SCOPES } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
      },
    });
  }

  if (env.AUTH_DEV_LOGIN) {
    providers.push(
      CredentialsProvider({
        id: DEV,
        name: "Development sign-in",
        credentials: { email: { label: "Email", type: "email" } },
        async authorize(credentials) {
          const email = credentials?.email?.trim().toLowerCase();
          if (!email) return null;
          const user = await getDevUser(getDb(), email);
          return user ? { id: String(user.id), email: user.email, name: user.name } : null;
        },
      }),
    );
  }

  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    // In production every next-auth cookie is Secure, HttpOnly and SameSite=Lax (and __Secure-/__Host-
    // prefixed), whatever NEXTAUTH_URL says; next-auth's own default follows NEXTAUTH_URL's scheme.
    // `npm run demo` is production on http://localhost: browsers treat localhost as a secure origin
    // and keep Secure cookies there (Chromium, Firefox; Safari does not, so show the demo elsewhere).
    useSecureCookies: env.NODE_ENV === "production",
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider === DEV) {
          const row = await getUserById(getDb(), Number(user.id));
          if (!row) return false;
          if (row.disabledAt) return refusedUrl("disabled");
          await recordDevSignIn(getDb(), row.id);
          return true;
        }
        if (account?.provider !== OIDC || !profile) return false;
        const decision = decideOidcAccess(profile as Record<string, unknown>, oidcAccessConfig(env));
        if (!decision.ok) {
          // The reason, never the claims: they hold the person's e-mail and groups.
          log.warn({ reason: decision.reason }, "identity provider sign-in refused");
          return refusedUrl(decision.reason);
        }
        const row = await recordOidcSignIn(getDb(), { identity: decision.identity, role: decision.role });
        if (row.disabledAt) return refusedUrl("disabled");
        return true;
      },
      // Runs after signIn allowed the person: the token keeps our id for them, nothing else we trust.
      async jwt({ token, user, account, profile }) {
        if (!account) return token;
        let id: number | null = null;
        if (account.provider === DEV) id = Number(user.id);
        else if (account.provider === OIDC && profile) {
          const claims = profile as { iss?: unknown; sub?: unknown };
          const row =
            typeof claims.iss === "string" && typeof claims.sub === "string"
              ? await getUserByIdentity(getDb(), claims.iss, claims.sub)
              : null;
          id = row?.id ?? null;
        }
        return { ...token, uid: id };
      },
      session({ session, token }) {
        return Object.assign(session, { userId: typeof token.uid === "number" ? token.uid : null });
      },
    },
  };
}
