import type { SessionUser } from "@/lib/auth/roles";
import { MainNav } from "./main-nav";
import { SignOutButton } from "./sign-out-button";

export function AppHeader({ user }: { user: SessionUser }) {
  return (
    <header className="bg-primary text-white">
      <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-4 px-6 py-3">
        <div className="flex items-center gap-8">
          <a href="/" className="text-xl font-bold text-white no-underline">
            Claim Triage
          </a>
          <MainNav isAdmin={user.role === "admin"} />
        </div>
        <div className="flex items-center gap-3 text-sm">
          <span data-testid="current-user">
            {user.name}{" "}
            <span className="ml-1 rounded bg-white px-2 py-0.5 font-semibold text-primary-dark">{user.role}</span>
          </span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
