import { AlertBanner } from "@/components/layout/alert-banner";
import { AppHeader } from "@/components/layout/app-header";
import { getFiringAlerts } from "@/db/queries/alerts";
import { requirePageUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";

// Every page in this group needs a session; each page still checks its own role.
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser("viewer");
  // Episodes are opened and cleared by the worker (lib/alerts); pages only show them.
  const alerts = await getFiringAlerts(getDb());
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to main content
      </a>
      <AppHeader user={user} />
      <AlertBanner initial={alerts} />
      <main id="main" className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
        {children}
      </main>
    </>
  );
}
