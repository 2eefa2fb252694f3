import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getUserByEmail, upsertSignedInUser } from "@/db/queries/users";
import { getDb } from "../db";
import { getEnv } from "../env";

// Sessions are signed JWT cookies; the role is read from the users table on every request
// (lib/auth/session.ts), so a changed or revoked role takes effect at once.
export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  const providers: NextAuthOptions["providers"] = [];

  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: "VA single sign-on",
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email: string; name?: string }) {
        return { id: profile.sub, email: profile.email, name: profile.name ?? profile.email };
      },
    });
  }

  if (env.AUTH_DEV_LOGIN) {
    providers.push(
      CredentialsProvider({
        id: "dev",
        name: "Development sign-in",
        credentials: { email: { label: "Email", type: "email" } },
        async authorize(credentials) {
          const email = credentials?.email?.trim().toLowerCase();
          if (!email) return null;
          const user = await getUserByEmail(getDb(), email);
          return user ? { id: String(user.id), email: user.email, name: user.name } : null;
        },
      }),
    );
  }

  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (!user.email) return false;
        if (account?.provider === "oidc") {
          await upsertSignedInUser(getDb(), {
            email: user.email,
            name: user.name ?? user.email,
            defaultRole: env.OIDC_DEFAULT_ROLE,
          });
        }
        return true;
      },
    },
  };
}
