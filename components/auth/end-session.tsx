"use client";

import { signOut } from "next-auth/react";
import { useEffect } from "react";

// A disabled account's session is already refused on every request; this also drops its cookie,
// so the browser stops presenting it.
export function EndSession() {
  useEffect(() => {
    void signOut({ redirect: false });
  }, []);
  return null;
}
