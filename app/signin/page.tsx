import { redirect } from "next/navigation";
import { SignInOptions } from "@/components/auth/sign-in-options";
import { SEED_USERS } from "@/db/seed/users";
import { authorize } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";

export const metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  if ((await authorize("viewer")).ok) redirect("/");
  const env = getEnv();
  // Only same-site paths: a crafted link must not bounce a signed-in user elsewhere.
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="mx-auto mt-16 max-w-lg rounded bg-white p-8 shadow">
      <h1 className="mb-1 text-3xl font-bold">Claim Triage</h1>
      <p className="mb-6 text-muted">Find failed claims and re-submit them through the backup flow.</p>
      {error && (
        <p role="alert" className="mb-4 rounded border-l-4 border-error bg-red-50 p-3">
          Sign-in did not succeed. Try again.
        </p>
      )}
      <SignInOptions
        devUsers={env.AUTH_DEV_LOGIN ? SEED_USERS.map((u) => ({ ...u })) : []}
        oidc={Boolean(env.OIDC_ISSUER)}
        callbackUrl={target}
      />
      {!env.AUTH_DEV_LOGIN && !env.OIDC_ISSUER && (
        <p>No sign-in method is configured. Set OIDC_ISSUER or AUTH_DEV_LOGIN.</p>
      )}
    </main>
  );
}
