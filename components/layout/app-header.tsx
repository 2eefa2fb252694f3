import type { SessionUser } from "@/lib/auth/roles";
import { MainNav } from "./main-nav";
import { SignOutButton } from "./sign-out-button";

export function AppHeader({ user }: { user: SessionUser }) {
  return (
    <header className="bg-primary text-white">
      {/* Everything wraps inside the blue band on a narrow screen (the nav's list too), so no link
          spills past it onto the page's light background. */}
      <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
        <div className="flex min-w-0 flex-wrap items-center gap-x-8 gap-y-1 [&_ul]:flex-wrap">
          <a href="/" className="text-xl font-bold text-white no-underline">
            Claim Triage
          </a>
          <MainNav isAdmin={user.role === "admin"} />
        </div>
        <div className="flex flex-wrap items-center gap-3 text-sm">
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
