"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

type DevUser = { email: string; name: string; role: string };

const USER_BUTTON =
  "flex w-full items-center justify-between rounded border border-primary px-4 py-2 text-left text-primary-dark " +
  "hover:bg-blue-50 disabled:opacity-60";

export function SignInOptions({
  devUsers,
  oidc,
  callbackUrl,
}: {
  devUsers: DevUser[];
  oidc: boolean;
  callbackUrl: string;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function signInAs(email: string) {
    setBusy(email);
    setError(null);
    const result = await signIn("dev", { email, callbackUrl, redirect: false });
    if (result?.error || !result?.url) {
      setError("Sign-in failed: that user is not known.");
      setBusy(null);
      return;
    }
    window.location.assign(result.url);
  }

  return (
    <div className="space-y-6">
      {oidc && (
        <button
          type="button"
          onClick={() => signIn("oidc", { callbackUrl })}
          className="w-full rounded bg-primary px-4 py-3 font-semibold text-white hover:bg-primary-dark"
        >
          Sign in with VA single sign-on
        </button>
      )}
      {devUsers.length > 0 && (
        <section aria-labelledby="dev-sign-in">
          <h2 id="dev-sign-in" className="mb-2 text-lg font-semibold">
            Development sign-in
          </h2>
          <p className="mb-3 text-sm text-muted">Seeded users for local use only. Disabled in production.</p>
          <ul className="space-y-2">
            {devUsers.map((u) => (
              <li key={u.email}>
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => signInAs(u.email)}
                  className={USER_BUTTON}
                >
                  <span>
                    Sign in as <strong>{u.name}</strong> ({u.email})
                  </span>
                  <span className="rounded bg-base-light px-2 py-0.5 text-sm text-ink">
                    {busy === u.email ? "Signing in…" : u.role}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && (
        <p role="alert" className="text-error">
          {error}
        </p>
      )}
    </div>
  );
}
