"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button
      type="button"
      onClick={() => signOut({ callbackUrl: "/signin" })}
      className="rounded border border-white px-3 py-1 text-sm text-white hover:bg-primary-dark"
    >
      Sign out
    </button>
  );
}
